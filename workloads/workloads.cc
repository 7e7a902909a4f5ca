#include "workloads/checkpoints.h"
#include "workloads/leases.h"
#include "workloads/register.h"
#include "workloads/workload.h"

namespace jepsen::workloads {

const std::vector<WorkloadType>& Workloads() {
  static const std::vector<WorkloadType> all = {
      RegisterWorkload(),
      LeasesWorkload(),
      CheckpointsWorkload(),
  };
  return all;
}

Result<const WorkloadType*> FindWorkload(std::string_view name) {
  for (const WorkloadType& w : Workloads()) {
    if (w.name == name) return &w;
  }
  std::string known;
  for (const std::string& n : WorkloadNames()) known += (known.empty() ? "" : ", ") + n;
  return Status::Error("unknown workload '" + std::string(name) + "' (known: " + known + ")");
}

std::vector<std::string> WorkloadNames() {
  std::vector<std::string> names;
  for (const WorkloadType& w : Workloads()) names.push_back(w.name);
  return names;
}

}  // namespace jepsen::workloads
