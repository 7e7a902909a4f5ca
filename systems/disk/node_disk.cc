#include "systems/disk/node_disk.h"

#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "diskfs/control.h"
#include "diskfs/mounts.h"
#include "history/event.h"
#include "systems/node_process.h"
#include "systems/process_group.h"
#include "systems/remote/remote_process.h"

namespace jepsen::systems {
namespace {

constexpr int kMountSeconds = 10;
constexpr int kCommandMs = 10'000;

}  // namespace

std::string WhyNoDisks() {
  if (::geteuid() != 0) return "disk faults need root (to mount jepsen-diskfs)";
  if (::access("/dev/fuse", R_OK | W_OK) != 0) return "disk faults need /dev/fuse";
  return "";
}

Result<std::unique_ptr<NodeDisk>> NodeDisk::Mount(uv_loop_t* loop, const std::string& binary_dir,
                                                  const std::string& backing,
                                                  const std::string& mountpoint,
                                                  const std::string& log_path,
                                                  const std::vector<std::string>& flags) {
  for (const std::string& dir : {backing, mountpoint}) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) return Status::Error(dir + ": cannot create: " + error.message());
  }
  // Abstract, so nothing is left on disk; unique to this run and mount.
  static int mounts = 0;
  const std::string control =
      "@jepsen-diskfs-" + std::to_string(::getpid()) + "-" + std::to_string(++mounts);
  ProcessSpec spec;
  spec.argv = {binary_dir + "/jepsen-diskfs", backing, mountpoint, "--control", control};
  spec.argv.insert(spec.argv.end(), flags.begin(), flags.end());
  spec.log_path = log_path;
  std::unique_ptr<NodeDisk> disk(
      new NodeDisk(mountpoint, control, LocalNodeProcess(loop, std::move(spec))));
  if (Status s = disk->Start(loop, log_path); !s.ok()) return s;
  return disk;
}

Result<std::unique_ptr<NodeDisk>> NodeDisk::MountOnHost(
    std::unique_ptr<remote::RemoteProcess> keeper, const std::string& mountpoint) {
  remote::RemoteProcess* remote = keeper.get();
  std::unique_ptr<NodeDisk> disk(new NodeDisk(mountpoint, "", std::move(keeper)));
  disk->remote_ = remote;
  if (Status s = disk->Start(nullptr, "the run's log"); !s.ok()) return s;
  return disk;
}

Status NodeDisk::Start(uv_loop_t* loop, const std::string& log_path) {
  if (Status s = process_->Start(); !s.ok()) {
    mounted_ = false;
    return s;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kMountSeconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (loop != nullptr) uv_run(loop, UV_RUN_NOWAIT);  // reaps a filesystem that exited at once
    if (!process_->running()) {
      mounted_ = false;
      return Status::Error("jepsen-diskfs could not mount " + mountpoint_ + ": " +
                           process_->RecentOutput());
    }
    if (Send("stats", 1000).ok()) return Status();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Unmount();
  return Status::Error("jepsen-diskfs did not mount " + mountpoint_ + " within " +
                       std::to_string(kMountSeconds) + " s (see " + log_path + ")");
}

Result<std::string> NodeDisk::Send(const std::string& command, int timeout_ms) {
  if (remote_ != nullptr) return remote_->DiskControl(command);
  return diskfs::SendControl(control_, command, timeout_ms);
}

NodeDisk::NodeDisk(std::string mountpoint, std::string control,
                   std::unique_ptr<NodeProcess> process)
    : mountpoint_(std::move(mountpoint)),
      control_(std::move(control)),
      process_(std::move(process)) {}

NodeDisk::~NodeDisk() { Unmount(); }

Result<std::string> NodeDisk::CommandOnceDown(int group, const std::string& command) {
  if (!AwaitGroupGone(group, kMountSeconds * 1000)) {
    return Status::Error("process group " + std::to_string(group) + " still has processes " +
                         std::to_string(kMountSeconds) + " s after it was killed");
  }
  return Command(command);
}

Result<LostWrites> NodeDisk::PowerLoss(int group, std::optional<uint64_t> torn_seed) {
  Result<std::string> reply = CommandOnceDown(
      group, torn_seed ? "power-loss torn " + std::to_string(*torn_seed) : "power-loss");
  if (!reply.ok()) return reply.status();
  const history::Json answer = history::Json::parse(*reply);
  LostWrites lost;
  lost.files = answer.value("files", std::vector<std::string>{});
  lost.bytes = answer.value("bytes", int64_t{0});
  lost.writes = answer.value("writes", int64_t{0});
  for (const history::Json& t : answer.value("torn", history::Json::array())) {
    lost.torn.push_back({t.value("file", ""), t.value("offset", int64_t{0}),
                         t.value("length", int64_t{0}), t.value("how", ""),
                         t.value("kept", std::vector<std::pair<int64_t, int64_t>>{})});
  }
  for (const history::Json& c : answer.value("metadata", history::Json::array())) {
    const std::string op = c.value("op", "");
    lost.metadata.push_back(op + " " + (op == "rename" ? c.value("from", "") + ">" : "") +
                            c.value("path", ""));
  }
  return lost;
}

Result<std::string> NodeDisk::Command(const std::string& command) {
  Result<std::string> reply = Send(command, kCommandMs);
  if (!reply.ok()) return reply.status();
  const history::Json answer = history::Json::parse(*reply, nullptr, false);
  if (!answer.is_object() || !answer.value("ok", false)) {
    return Status::Error("jepsen-diskfs at " + mountpoint_ + " refused " + command + ": " + *reply);
  }
  return reply;
}

void NodeDisk::Unmount() {
  if (!mounted_) return;
  mounted_ = false;
  if (remote_ != nullptr) {  // its keeper detaches it, then kills the filesystem
    remote_->Close();
    return;
  }
  ::umount2(mountpoint_.c_str(), MNT_DETACH);  // gone from the tree now, whoever holds it open
  (void)process_->Kill();
}

}  // namespace jepsen::systems
