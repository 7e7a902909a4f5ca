#include "nemesis/disk/disk_checks.h"

#include "systems/disk/node_disk.h"

namespace jepsen::nemesis {

Status SupportsDisks(const Plan& plan, const std::string& doing, bool processes) {
  if (std::string why = systems::WhyNoDisks(); !why.empty()) {
    return Status::Error("system " + plan.system + " cannot " + doing + " here: " + why);
  }
  if (!plan.abilities.offers(systems::Disks::kName) ||
      (processes && !plan.abilities.offers(systems::ProcessNodes::kName))) {
    return Status::Error("system " + plan.system +
                         " does not keep its nodes' data on a filesystem of the run's own "
                         "(jepsen-diskfs): it cannot " +
                         doing);
  }
  return Status();
}

}  // namespace jepsen::nemesis
