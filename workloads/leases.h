// workload=leases: clients acquire, renew and release leases on resources and
// write each resource under their lease's fencing token; checked for
// exclusivity (L1-L4).
#ifndef JEPSEN_WORKLOADS_LEASES_H_
#define JEPSEN_WORKLOADS_LEASES_H_

#include <cstdint>

#include "generator/generator.h"
#include "workloads/workload.h"

namespace jepsen::workloads {

// Options: keys, ttl-ms (0 or not given: the system's default, 1000 unless a
// system's AdjustWorkload says otherwise), drift, zombies, think-ms.
WorkloadType LeasesWorkload();

// The lease TTL a run uses when the system sets none.
inline constexpr int64_t kDefaultTtlMs = 1000;

struct LeaseClientOptions {
  int resources = 1;
  int64_t ttl_ms = kDefaultTtlMs;
  double drift = 0.01;   // it takes a lease to be surely its own for ttl·(1 − drift)
  double zombies = 0.1;  // the share of its leases it stalls past, then acts on anyway
  int64_t think_ms = 0;  // real time it works (or waits) after each op but a granted acquire
};

// The leases client alone (one per thread): acquire, write under the token,
// renew, release. It keeps its own timer: after an ok acquire or renew invoked
// when its thread's clock (Context::ClientNow) read t, it writes with that
// token only while its clock reads before t + ttl·(1 − drift)/2; then it
// renews (a failed renew: it acquires again), so it never writes with a lease
// its clock says may have run out.
// A share of its leases (zombies) it stalls past (1.5 ttl of real time) and
// then writes or renews with anyway, which the store must refuse. Exposed for
// tests.
generator::GenPtr LeaseClient(const LeaseClientOptions& options);

}  // namespace jepsen::workloads

#endif  // JEPSEN_WORKLOADS_LEASES_H_
