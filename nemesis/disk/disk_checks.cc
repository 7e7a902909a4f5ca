#include "nemesis/disk/disk_checks.h"

#include "systems/disk/node_disk.h"

namespace jepsen::nemesis {

Status SupportsDisks(const Plan& plan, const std::string& doing, bool processes) {
  // On hosts jepsen-diskfs runs there: setup checks root and /dev/fuse on each.
  if (std::string why = systems::WhyNoDisks(); !why.empty() && !plan.abilities.on_hosts) {
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

std::vector<options::Option> DiskOptions() {
  return {options::Choice("disk-metadata", "ordered", {"ordered", "strict"},
                          "jepsen-diskfs' rule for creates, renames, unlinks: ordered, durable "
                          "at once; strict, only once their directory is fsynced"),
          options::Choice("disk-fsync", "layer", {"layer", "real"},
                          "Where an fsync on jepsen-diskfs stops: layer, it makes the data "
                          "durable in the layer; real, it reaches the real disk too (as on "
                          "the bare disk, for a like-for-like cost)")};
}

std::vector<std::string> DiskFlags(const options::Values& options) {
  std::vector<std::string> flags;
  if (options.Has("disk-metadata") && options.Text("disk-metadata") == "strict")
    flags.push_back("--strict-metadata");
  if (options.Has("disk-fsync") && options.Text("disk-fsync") == "real")
    flags.push_back("--real-fsync");
  return flags;
}

}  // namespace jepsen::nemesis
