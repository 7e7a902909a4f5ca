// A workload binds what clients do (a generator of the history format's ops)
// to the checks that judge it (chosen by the header's `workload`). Each kind
// declares the options it takes and is registered by name in workloads.cc.
#ifndef JEPSEN_WORKLOADS_WORKLOAD_H_
#define JEPSEN_WORKLOADS_WORKLOAD_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "generator/generator.h"
#include "history/status.h"
#include "options/option.h"

namespace jepsen::workloads {

using history::Json;

struct Workload {
  std::string name;               // the header's `workload`: picks the checks
  generator::GenPtr main;         // client ops for the main phase
  generator::GenPtr final_reads;  // after the faults are healed: what lost writes show in
  Json options = Json::object();  // for the header's `options` (keys, ttl_ms, drift, ...)
  // Whether its clients act on their own clocks (Context::ClientNow): only then
  // does skewing a client's clock (the client-clock fault) change what they do.
  bool clients_keep_time = false;
};

// A kind of workload as users choose it (workload=<name>).
struct WorkloadType {
  std::string name;
  std::string help;                      // one line, for --help
  std::vector<options::Option> options;  // what it takes (keys=, ttl-ms=, ...)
  // REQUIRES: `values` resolved against `options` (options::Resolve).
  std::function<Workload(const options::Values& values)> make;
};

// Every workload, in the order --help lists them.
const std::vector<WorkloadType>& Workloads();
// The workload called `name`; errors list those known.
Result<const WorkloadType*> FindWorkload(std::string_view name);
std::vector<std::string> WorkloadNames();

}  // namespace jepsen::workloads

#endif  // JEPSEN_WORKLOADS_WORKLOAD_H_
