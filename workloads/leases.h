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
// system's AdjustWorkload says otherwise), drift.
WorkloadType LeasesWorkload();

// The lease TTL a run uses when the system sets none.
inline constexpr int64_t kDefaultTtlMs = 1000;

// The leases client alone (one per thread): acquire, write under the token,
// renew, release; sometimes it keeps writing after its lease should have
// ended, which the store must refuse. Exposed for tests.
generator::GenPtr LeaseClient(int resources, int64_t ttl_ms);

}  // namespace jepsen::workloads

#endif  // JEPSEN_WORKLOADS_LEASES_H_
