#include "nemesis/disk/disk_full_package.h"

#include "nemesis/disk/disk_switch.h"

namespace jepsen::nemesis {

std::unique_ptr<Package> NewDiskFullPackage() {
  DiskSwitchedFault fault;
  fault.kind = {"disk-full",
                "disk",
                {"disk-full-start"},
                {"disk-full-end"},
                true,
                "node's disk full: writes, fsyncs and creates fail with ENOSPC (the end: "
                "value.done.<node>.refused, how many)",
                "#e0b060"};
  fault.help =
      "fill a node's disk: its writes, fsyncs and creates fail with ENOSPC until the fault "
      "ends (jepsen-diskfs; root, /dev/fuse)";
  fault.doing = "fill its disks";
  fault.on = [](const Json&) { return std::string("disk-full on"); };
  fault.off = "disk-full off";
  fault.record = [](const Json& reply) { return Json{{"refused", reply.value("refused", 0)}}; };
  return NewDiskSwitchedPackage(std::move(fault));
}

}  // namespace jepsen::nemesis
