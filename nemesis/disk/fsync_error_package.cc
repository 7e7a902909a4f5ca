#include "nemesis/disk/fsync_error_package.h"

#include "nemesis/disk/disk_switch.h"

namespace jepsen::nemesis {

std::unique_ptr<Package> NewFsyncErrorPackage() {
  DiskSwitchedFault fault;
  fault.kind = {"fsync-error",
                "disk",
                {"fsync-error-start"},
                {"fsync-error-end"},
                true,
                "node's next fsyncs fail with EIO and drop what they should have made durable "
                "(value.fsyncs; the end: value.done.<node>: failed, files, bytes, writes)",
                "#d07070"};
  fault.help =
      "fail a node's next 1-3 fsyncs with EIO, dropping the data they should have made "
      "durable, as Linux does (jepsen-diskfs; root, /dev/fuse)";
  fault.doing = "fail its fsyncs";
  fault.draw = [](generator::Rng& rng) { return Json{{"fsyncs", rng.Between(1, 3)}}; };
  fault.on = [](const Json& value) {
    return "fsync-error " + std::to_string(value.value("fsyncs", int64_t{1}));
  };
  fault.off = "fsync-error 0";
  fault.record = [](const Json& reply) {
    return Json{{"failed", reply.value("failed", 0)},
                {"left", reply.value("left", 0)},
                {"files", reply.value("files", Json::array())},
                {"bytes", reply.value("bytes", 0)},
                {"writes", reply.value("writes", 0)}};
  };
  return NewDiskSwitchedPackage(std::move(fault));
}

}  // namespace jepsen::nemesis
