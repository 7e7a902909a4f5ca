#include "nemesis/disk/disk_switch.h"

#include "nemesis/disk/disk_checks.h"
#include "nemesis/switched_package.h"
#include "systems/capabilities.h"

namespace jepsen::nemesis {
namespace {

class DiskSwitch final : public NodeSwitch {
 public:
  DiskSwitch(systems::Disks& disks, const DiskSwitchedFault& fault)
      : disks_(disks), fault_(fault) {}

  Status On(const std::string& node, const Json& value) override {
    Result<std::string> reply = disks_.DiskCommand(node, fault_.on(value), false);
    return reply.ok() ? Status() : reply.status();
  }

  Result<Json> Off(const std::string& node) override {
    Result<std::string> reply = disks_.DiskCommand(node, fault_.off, false);
    if (!reply.ok()) return reply.status();
    return fault_.record(Json::parse(*reply, nullptr, false));
  }

 private:
  systems::Disks& disks_;
  DiskSwitchedFault fault_;
};

}  // namespace

std::unique_ptr<Package> NewDiskSwitchedPackage(DiskSwitchedFault disk) {
  SwitchedFault fault;
  fault.kind = disk.kind;
  fault.help = disk.help;
  if (disk.draw) {
    fault.draw = [draw = disk.draw](const Plan&, generator::Rng& rng) { return draw(rng); };
  }
  fault.supports = [doing = disk.doing](const Plan& plan) {
    return SupportsDisks(plan, doing, false);
  };
  fault.configure = [](systems::SetupContext& setup) { setup.disks = true; };
  fault.bind = [disk](systems::System& system) -> Result<std::unique_ptr<NodeSwitch>> {
    systems::Disks* disks = systems::Find<systems::Disks>(system);
    if (disks == nullptr) {
      return Status::Error("the system offers no disks of the run's own: it cannot " + disk.doing);
    }
    return std::unique_ptr<NodeSwitch>(std::make_unique<DiskSwitch>(*disks, disk));
  };
  return NewSwitchedPackage(std::move(fault));
}

}  // namespace jepsen::nemesis
