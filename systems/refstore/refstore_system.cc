#include "systems/refstore/refstore_system.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "systems/refstore/client.h"
#include "systems/refstore/store.h"
#include "systems/uv/helpers.h"

namespace jepsen::systems::refstore {

SystemType Registration() {
  return {"refstore",
          "the bundled reference store: one jepsen-refstore node (SQLite)",
          {options::Choices("bug", {}, BugNames(),  // the store's own table
                            "Planted bugs to switch on (docs/refstore-protocol.md)"),
           options::Choice("sync", "full", {"full", "normal", "off"},
                           "SQLite's synchronous, in WAL mode: full, commits survive power loss "
                           "(nemesis=power); normal and off, they survive process kills only and "
                           "run much faster"),
           options::Switch("fsync", true, "The older name of sync: on is full, off is normal")},
          [](const options::Values& values) -> Result<std::unique_ptr<System>> {
            std::string sync = values.Text("sync");
            if (values.Given("fsync")) {
              const std::string named = values.On("fsync") ? "full" : "normal";
              if (values.Given("sync") && sync != named) {
                return Status::Error("fsync=" + std::string(values.On("fsync") ? "on" : "off") +
                                     " is sync=" + named + ", which contradicts sync=" + sync);
              }
              sync = named;
            }
            return std::unique_ptr<System>(new RefstoreSystem(values.List("bug"), sync));
          }};
}

Abilities RefstoreSystem::abilities(const SetupContext& context) const {
  Abilities a;
  a.capabilities = {ProcessNodes::kName, Leadership::kName};
  if (context.disks) a.capabilities.insert(Disks::kName);
  if (context.private_network) a.capabilities.insert(Network::kName);
  if (context.clocks) a.capabilities.insert(Clocks::kName);
  return a;
}

Json RefstoreSystem::HeaderOptions(const std::string&) const {
  return {{"bugs", bugs_}, {"sync", sync_}};
}

Status RefstoreSystem::Setup(const SetupContext& context) {
  context_ = context;
  Result<int> port = uv::FreeLoopbackPort();
  if (!port.ok()) return port.status();
  port_ = *port;
  const std::string data = context.data_dir + "/n1";
  if (context.disks) {  // the data lives in n1.disk, seen through the mount at n1
    Result<std::unique_ptr<NodeDisk>> disk =
        NodeDisk::Mount(context.loop, context.binary_dir, data + ".disk", data, context.log_path,
                        context.disk_flags);
    if (!disk.ok()) return disk.status();
    disk_ = std::move(*disk);
  }
  std::error_code error;
  std::filesystem::create_directories(data, error);
  if (error) return Status::Error(data + ": cannot create: " + error.message());
  if (context.private_network) {
    Result<std::unique_ptr<netns::Network>> network =
        netns::Network::Create(nodes(), context.log_path);
    if (!network.ok()) return network.status();
    network_ = std::move(*network);
  }
  ProcessSpec spec;
  spec.argv = {context.binary_dir + "/jepsen-refstore",
               "--host",
               host(),
               "--port",
               std::to_string(port_),
               "--data",
               data};
  // `ip netns exec` execs it in place: the node stays a direct child.
  if (network_)
    spec.argv.insert(spec.argv.begin(), {"ip", "netns", "exec", network_->namespace_of("n1")});
  spec.argv.push_back("--sync");
  spec.argv.push_back(sync_);
  for (const std::string& bug : bugs_) {
    spec.argv.push_back("--bug");
    spec.argv.push_back(bug);
  }
  spec.log_path = context.log_path;
  if (context.clocks) {
    Result<std::unique_ptr<FakeClock>> clock = FakeClock::Make(data + ".faketime");
    if (!clock.ok()) return clock.status();
    clock_ = std::move(*clock);
    spec.env = clock_->env();
  }
  process_ = std::make_unique<Process>(context.loop, std::move(spec));
  return process_->Start();
}

Status RefstoreSystem::Check(const std::string& node) const {
  if (node != "n1") return Status::Error("refstore has no node '" + node + "' (only n1)");
  if (!process_) return Status::Error("refstore is not set up");
  return Status();
}

Status RefstoreSystem::Kill(const std::string& node) {
  if (Status s = Check(node); !s.ok()) return s;
  process_->Kill();
  return Status();
}

Status RefstoreSystem::Restart(const std::string& node) {
  if (Status s = Check(node); !s.ok()) return s;
  return process_->Start();  // a no-op when it still runs
}

Status RefstoreSystem::Pause(const std::string& node) {
  if (Status s = Check(node); !s.ok()) return s;
  process_->Pause();
  return Status();
}

Status RefstoreSystem::Resume(const std::string& node) {
  if (Status s = Check(node); !s.ok()) return s;
  process_->Resume();
  return Status();
}

int RefstoreSystem::ProcessGroup(const std::string& node) const {
  return Check(node).ok() ? process_->pid() : 0;
}

Result<ClockSetting> RefstoreSystem::SkewClock(const std::string& node, double step_s,
                                               double rate) {
  if (Status s = Check(node); !s.ok()) return s;
  if (!clock_)
    return Status::Error("refstore's n1 runs without libfaketime (no clock fault asked)");
  return clock_->Change(step_s, rate);
}

Result<ClockSetting> RefstoreSystem::ResetClock(const std::string& node) {
  if (Status s = Check(node); !s.ok()) return s;
  if (!clock_)
    return Status::Error("refstore's n1 runs without libfaketime (no clock fault asked)");
  return clock_->Reset();
}

Status RefstoreSystem::AwaitServing(double timeout_s, bool before_run) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(timeout_s));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port_));
  ::inet_pton(AF_INET, host().c_str(), &address.sin_addr);
  while (std::chrono::steady_clock::now() < deadline) {
    if (before_run) uv_run(context_.loop, UV_RUN_NOWAIT);  // reaps a node that exited at once
    if (!process_->running()) {
      const std::string output = process_->RecentOutput();
      return Status::Error("n1 (jepsen-refstore on port " + std::to_string(port_) +
                           ") exited before serving" + (output.empty() ? "" : ": " + output) +
                           " (see " + context_.log_path + ")");
    }
    int fd = netns::SocketIn(clients_fd(), AF_INET, SOCK_STREAM);
    bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    if (up) return Status();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status::Error("n1 (jepsen-refstore on port " + std::to_string(port_) +
                       ") did not start serving; see " + context_.log_path);
}

bool RefstoreSystem::Up() const { return process_ && process_->running() && !process_->paused(); }

std::unique_ptr<Client> RefstoreSystem::NewClient(int) {
  return std::make_unique<RefstoreClient>(context_.loop, context_.workload, host(), port_,
                                          clients_fd());
}

Result<LostWrites> RefstoreSystem::PowerLoss(const std::string& node,
                                             std::optional<uint64_t> torn_seed) {
  if (Status s = Check(node); !s.ok()) return s;
  if (!disk_) return Status::Error("refstore's n1 keeps its data on no disk of the run's own");
  return disk_->PowerLoss(process_->pid(), torn_seed);
}

Result<std::string> RefstoreSystem::DiskCommand(const std::string& node, const std::string& command,
                                                bool once_down) {
  if (Status s = Check(node); !s.ok()) return s;
  if (!disk_) return Status::Error("refstore's n1 keeps its data on no disk of the run's own");
  return once_down ? disk_->CommandOnceDown(process_->pid(), command) : disk_->Command(command);
}

std::string RefstoreSystem::host() const {
  return network_ ? network_->address("n1") : std::string("127.0.0.1");
}

void RefstoreSystem::Teardown() {
  if (process_) process_->Kill();
  if (disk_) disk_->Unmount();
  if (network_) network_->Remove();
}

}  // namespace jepsen::systems::refstore
