// A workload binds what clients do (a generator of the history format's ops)
// to the checks that judge it (chosen by the header's `workload`).
#ifndef JEPSEN_WORKLOADS_WORKLOAD_H_
#define JEPSEN_WORKLOADS_WORKLOAD_H_

#include <string>
#include <string_view>
#include <vector>

#include "generator/generator.h"
#include "history/status.h"

namespace jepsen::workloads {

using history::Json;

struct WorkloadOptions {
  int keys = 3;         // registers, lease resources or checkpoint streams
  int64_t ttl_ms = 1000;  // leases
  double drift = 0.01;    // leases: the clock drift bound the checker allows
};

struct Workload {
  std::string name;            // the header's `workload`: picks the checks
  generator::GenPtr main;      // client ops for the main phase
  generator::GenPtr final_reads;  // after the faults are healed: what lost writes show in
  Json options = Json::object();  // for the header's `options` (ttl_ms, drift, ...)
};

// "register", "leases" or "checkpoints". Errors list the names known.
Result<Workload> MakeWorkload(std::string_view name, const WorkloadOptions& options);
std::vector<std::string> WorkloadNames();

// The leases client alone (one per thread): acquire, write under the token,
// renew, release; sometimes it keeps writing after its lease should have
// ended, which the store must refuse. Exposed for tests.
generator::GenPtr LeaseClient(int resources, int64_t ttl_ms);

}  // namespace jepsen::workloads

#endif  // JEPSEN_WORKLOADS_WORKLOAD_H_
