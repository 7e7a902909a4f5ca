// Stand-ins for nemesis tests: a system whose nodes change state as a real
// one's processes would (a kill takes a node down and drops its stop, a pause
// of a node that is down does nothing, a restart brings it up running), with a
// network to partition and a leader to name, each capability on request; and
// the run's client threads as a ClientControl.
#ifndef JEPSEN_TESTS_NEMESIS_FAKES_H_
#define JEPSEN_TESTS_NEMESIS_FAKES_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "nemesis/package.h"
#include "systems/capabilities.h"
#include "systems/system.h"

namespace jepsen::nemesis::testing {

enum class NodeState { kRunning, kPaused, kDown };

// Only the System part: no capability at all.
class BareSystem : public systems::System {
 public:
  explicit BareSystem(std::vector<std::string> nodes) : nodes_(std::move(nodes)) {}
  systems::Abilities abilities(const systems::SetupContext&) const override { return {}; }
  Json HeaderOptions(const std::string&) const override { return Json::object(); }
  Status Setup(const systems::SetupContext&) override { return Status(); }
  std::vector<std::string> nodes() const override { return nodes_; }
  Status AwaitReady(double) override { return Status(); }
  bool Up() const override { return true; }
  std::unique_ptr<systems::Client> NewClient(int) override { return nullptr; }
  void Teardown() override {}

 protected:
  std::vector<std::string> nodes_;
};

class FakeSystem : public BareSystem,
                   public systems::ProcessNodes,
                   public systems::Network,
                   public systems::Leadership {
 public:
  explicit FakeSystem(std::vector<std::string> nodes) : BareSystem(std::move(nodes)) {
    for (const std::string& n : nodes_) state_[n] = NodeState::kRunning;
  }
  systems::Abilities abilities(const systems::SetupContext&) const override {
    systems::Abilities a;
    a.capabilities = {ProcessNodes::kName, Network::kName, Network::kSlowLinks, Leadership::kName};
    return a;
  }

  Status Kill(const std::string& node) override {
    calls.push_back("kill " + node);
    state_.at(node) = NodeState::kDown;
    return Status();
  }
  Status Restart(const std::string& node) override {
    calls.push_back("restart " + node);
    if (state_.at(node) == NodeState::kDown) state_[node] = NodeState::kRunning;
    return Status();
  }
  Status Pause(const std::string& node) override {
    calls.push_back("pause " + node);
    if (state_.at(node) == NodeState::kRunning) state_[node] = NodeState::kPaused;
    return Status();
  }
  Status Resume(const std::string& node) override {
    calls.push_back("resume " + node);
    if (state_.at(node) == NodeState::kPaused) state_[node] = NodeState::kRunning;
    return Status();
  }
  int ProcessGroup(const std::string& node) const override {
    return state_.at(node) == NodeState::kDown ? 0 : 100;
  }
  Status Partition(const Grudge& g) override {
    calls.push_back("partition");
    grudge = g;
    return Status();
  }
  Status Heal() override {
    calls.push_back("heal");
    grudge.clear();
    return Status();
  }
  Status SetLoss(const std::string& node, int percent) override {
    calls.push_back("loss " + node + " " + std::to_string(percent));
    return failing == node ? Status::Error("no such namespace") : Status();
  }
  Status SetRate(const std::string& node, int64_t kbit) override {
    calls.push_back("rate " + node + " " + std::to_string(kbit));
    return failing == node ? Status::Error("no such namespace") : Status();
  }
  Result<std::string> Leader() override { return leader; }

  NodeState state(const std::string& node) const { return state_.at(node); }
  bool AllRunning() const {
    for (const auto& [node, state] : state_) {
      if (state != NodeState::kRunning) return false;
    }
    return true;
  }

  std::vector<std::string> calls;
  Grudge grudge;
  std::string leader = "n2";
  std::string failing;  // a node whose link or disk calls fail

 private:
  std::map<std::string, NodeState> state_;
};

// A fake system whose nodes keep their data on disks of the run's own
// (systems::Disks), offered when the setup asks for them. Each disk call is
// logged in `calls`; a power loss needs the node down; `failing` answers
// nothing (a torn one keeps 1 KiB of a WAL frame), and undoes the namespace changes
// `undone` (strict metadata); a command gets `replies[command]`, or {"ok":true}.
class DiskSystem : public FakeSystem, public systems::Disks {
 public:
  using FakeSystem::FakeSystem;
  systems::Abilities abilities(const systems::SetupContext& context) const override {
    systems::Abilities a = FakeSystem::abilities(context);
    if (context.disks) a.capabilities.insert(Disks::kName);
    return a;
  }
  Result<systems::LostWrites> PowerLoss(const std::string& node,
                                        std::optional<uint64_t> torn_seed) override {
    calls.push_back("power-loss " + (torn_seed ? "torn " + std::to_string(*torn_seed) + " " : "") +
                    node);
    if (state(node) != NodeState::kDown) return Status::Error(node + " still runs");
    if (node == failing) return Status::Error("no reply");
    systems::LostWrites lost{{"refstore.db-wal"}, 4096, 3, {}};
    if (torn_seed) lost.torn = {{"refstore.db-wal", 8192, 4120, "prefix", {{8192, 9216}}}};
    lost.metadata = undone;
    return lost;
  }
  Result<std::string> DiskCommand(const std::string& node, const std::string& command,
                                  bool once_down) override {
    calls.push_back(command + " " + node);
    if (once_down && state(node) != NodeState::kDown) return Status::Error(node + " still runs");
    if (node == failing) return Status::Error("no reply");
    auto reply = replies.find(command);
    return reply == replies.end() ? std::string(R"({"ok":true})") : reply->second;
  }
  std::map<std::string, std::string> replies;
  std::vector<std::string> undone;
};

// A fake system whose nodes' clocks can be faked (systems::Clocks), offered when the setup
// asks for clocks. Each call is logged in `calls` ("skew n1 5 2", "reset n1"); `clocks` holds
// each node's setting (offsets add up, as a real node's do); `failing` answers nothing.
class ClockSystem : public FakeSystem, public systems::Clocks {
 public:
  using FakeSystem::FakeSystem;
  systems::Abilities abilities(const systems::SetupContext& context) const override {
    systems::Abilities a = FakeSystem::abilities(context);
    if (context.clocks) a.capabilities.insert(Clocks::kName);
    return a;
  }
  Result<systems::ClockSetting> SkewClock(const std::string& node, double step_s,
                                          double rate) override {
    calls.push_back("skew " + node + " " + Json(step_s).dump() + " " + Json(rate).dump());
    if (node == failing) return Status::Error("no clock");
    systems::ClockSetting& c = clocks[node];
    c = {c.offset_s + step_s, rate};
    return c;
  }
  Result<systems::ClockSetting> ResetClock(const std::string& node) override {
    calls.push_back("reset " + node);
    if (node == failing) return Status::Error("no clock");
    systems::ClockSetting was = clocks[node];
    clocks.erase(node);
    return was;
  }
  std::string failing;
  std::map<std::string, systems::ClockSetting> clocks;  // nodes not at real time
};

// Client threads, refusing a freeze of a frozen one and a thaw of a thawed one as the runner does.
// Each clock call is logged in `calls` ("skew 3 -5 1", "reset 3"); `clocks` holds each
// thread's clock not at real time (offsets add up); a `failing` thread's clock answers nothing.
class FakeClients : public ClientControl {
 public:
  explicit FakeClients(int clients) : clients_(clients) {}
  int clients() const override { return clients_; }
  Status Freeze(int thread) override {
    if (!frozen.insert(thread).second) return Status::Error("already frozen");
    return Status();
  }
  Status Thaw(int thread) override {
    if (frozen.erase(thread) == 0) return Status::Error("not frozen");
    return Status();
  }
  Result<systems::ClockSetting> SkewClock(int thread, double step_s, double rate) override {
    calls.push_back("skew " + std::to_string(thread) + " " + Json(step_s).dump() + " " +
                    Json(rate).dump());
    if (thread == failing) return Status::Error("no clock");
    systems::ClockSetting& c = clocks[thread];
    c = {c.offset_s + step_s, rate};
    return c;
  }
  Result<systems::ClockSetting> ResetClock(int thread) override {
    calls.push_back("reset " + std::to_string(thread));
    if (thread == failing) return Status::Error("no clock");
    systems::ClockSetting was = clocks[thread];
    clocks.erase(thread);
    return was;
  }

  std::set<int> frozen;
  std::vector<std::string> calls;
  std::map<int, systems::ClockSetting> clocks;
  int failing = -1;

 private:
  int clients_;
};

}  // namespace jepsen::nemesis::testing

#endif  // JEPSEN_TESTS_NEMESIS_FAKES_H_
