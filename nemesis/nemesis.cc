#include "nemesis/nemesis.h"

#include <algorithm>
#include <memory>

#include "generator/combinators.h"

namespace jepsen::nemesis {
namespace {

constexpr std::string_view kClientPrefix = "client-";

// The thread of a "client-N" name, or -1.
int ClientThread(const std::string& name) {
  if (name.rfind(kClientPrefix, 0) != 0) return -1;
  try {
    return std::stoi(name.substr(kClientPrefix.size()));
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

std::string ClientName(int thread) { return std::string(kClientPrefix) + std::to_string(thread); }

Result<std::vector<std::string>> Nemesis::Targets(const Json& value) {
  if (value.is_string() && value.get<std::string>() == "leader") {
    Result<std::string> leader = system_.Leader();
    if (!leader.ok()) return leader.status();
    return std::vector<std::string>{*leader};
  }
  if (!value.is_array())
    return Status::Error("nemesis op value must be a list of nodes or \"leader\"");
  std::vector<std::string> targets;
  const std::vector<std::string> known = system_.nodes();
  for (const Json& node : value) {
    const std::string name = node.is_string() ? node.get<std::string>() : "";
    const int thread = ClientThread(name);
    const bool is_client = thread >= 0 && clients_ != nullptr && thread < clients_->clients();
    if (!is_client && std::find(known.begin(), known.end(), name) == known.end()) {
      return Status::Error("nemesis op names unknown node " + node.dump());
    }
    targets.push_back(name);
  }
  return targets;
}

Result<Json> Nemesis::Apply(const generator::Op& op) {
  if (op.f == "heal" && op.value == "network") {  // a partition's own end
    if (Status s = system_.HealNetwork(); !s.ok()) return s;
    partitioned_ = false;
    return Json("network");
  }
  if (op.f == "heal") return Heal();
  if (op.f == "partition") return Partition(op.value);
  Result<std::vector<std::string>> targets = std::vector<std::string>{};
  if (op.value.is_null() && op.f == "start") {
    targets = std::vector<std::string>(killed_.begin(), killed_.end());
  } else if (op.value.is_null() && op.f == "resume") {
    std::vector<std::string> all(paused_.begin(), paused_.end());
    for (int t : frozen_) all.push_back(ClientName(t));
    targets = all;
  } else {
    targets = Targets(op.value);
  }
  if (!targets.ok()) return targets.status();
  Json done = Json::array();
  for (const std::string& target : *targets) {
    const int thread = ClientThread(target);
    Status s;
    if (thread >= 0 && clients_ != nullptr && (op.f == "pause" || op.f == "resume")) {
      if (op.f == "pause") {
        s = clients_->Freeze(thread);
        if (s.ok()) frozen_.insert(thread);
      } else {
        s = clients_->Thaw(thread);
        frozen_.erase(thread);
      }
    } else if (op.f == "kill") {
      s = system_.Kill(target);
      killed_.insert(target);
      paused_.erase(target);  // a killed process is no longer stopped
    } else if (op.f == "start") {
      s = system_.Restart(target);
      killed_.erase(target);
    } else if (op.f == "pause") {
      s = system_.Pause(target);
      paused_.insert(target);
    } else if (op.f == "resume") {
      s = system_.Resume(target);
      paused_.erase(target);
    } else {
      return Status::Error("unknown nemesis op '" + op.f + "'");
    }
    if (!s.ok()) return s;
    done.push_back(target);
  }
  return done;
}

Result<Json> Nemesis::Partition(const Json& value) {
  const std::vector<std::string> all = system_.nodes();
  systems::System::Grudge grudge;
  if (value.is_object() && value.value("all", false)) {
    for (const std::string& a : all) {
      for (const std::string& b : all) {
        if (a != b) grudge[a].insert(b);
      }
    }
  } else {
    Result<std::vector<std::string>> cut = Targets(value);
    if (!cut.ok()) return cut.status();
    std::set<std::string> inside(cut->begin(), cut->end()), outside;
    for (const std::string& n : all) {
      if (!inside.count(n)) outside.insert(n);
    }
    for (const std::string& n : inside) grudge[n] = outside;
    for (const std::string& n : outside) grudge[n] = inside;
  }
  if (Status s = system_.Partition(grudge); !s.ok()) return s;
  partitioned_ = true;
  Json recorded = Json::object();  // who cannot reach whom
  for (const auto& [node, others] : grudge) recorded[node] = others;
  return recorded;
}

Json Nemesis::Heal() {
  Json touched = Json::array();
  for (int thread : frozen_) {
    if (clients_->Thaw(thread).ok()) touched.push_back(ClientName(thread));
  }
  for (const std::string& node : paused_) {
    if (system_.Resume(node).ok()) touched.push_back(node);
  }
  for (const std::string& node : killed_) {
    if (system_.Restart(node).ok()) touched.push_back(node);
  }
  if (partitioned_ && system_.HealNetwork().ok()) touched.push_back("network");
  frozen_.clear();
  paused_.clear();
  killed_.clear();
  partitioned_ = false;
  return touched;
}

namespace {

using generator::Context;
using generator::Nanos;
using generator::Op;
using generator::Step;

// Healthy for `interval`, then one fault (a random kind on a random target)
// for `interval` (a client pause: at least `client_pause`), then its
// recovery; again and again.
class FaultCycle : public generator::Generator {
 public:
  explicit FaultCycle(ScheduleOptions options) : o_(std::move(options)) {}

  Step Next(const Context& ctx) override {
    if (next_ < 0) next_ = ctx.now() + o_.interval.count();
    if (ctx.now() < next_) return Step::Pending(next_);
    std::optional<generator::Thread> thread = ctx.FreeThread();
    if (!thread) return Step::Pending();
    if (recovery_) {
      Op op = std::move(*recovery_);
      recovery_.reset();
      next_ = ctx.now() + o_.interval.count();
      return Step::Invoke(*thread, std::move(op));
    }
    Nanos lasts = o_.interval.count();
    Op fault = Fault(ctx, lasts);
    next_ = ctx.now() + lasts;
    return Step::Invoke(*thread, std::move(fault));
  }

  std::unique_ptr<Generator> Clone() const override { return std::make_unique<FaultCycle>(*this); }

 private:
  Op Fault(const Context& ctx, Nanos& lasts) {
    auto& rng = ctx.rng();
    const std::string& kind = o_.faults[rng.Uniform(o_.faults.size())];
    if (kind == "client-pause") {
      Json target = Json::array({ClientName(static_cast<int>(rng.Uniform(o_.clients)))});
      lasts = std::max(lasts, o_.client_pause.count());
      recovery_ = Op{"resume", nullptr, target};
      return Op{"pause", nullptr, target};
    }
    const std::string& aim = o_.targets[rng.Uniform(o_.targets.size())];
    Json target;
    if (aim == "leader") {
      target = "leader";
    } else if (aim == "all" && kind == "partition") {
      target = {{"all", true}};
    } else {
      std::vector<std::string> nodes = o_.nodes;
      size_t n = nodes.size();
      if (aim == "one") n = 1;
      if (aim == "majority") n = nodes.size() / 2 + 1;
      if (aim == "minority") n = std::max<size_t>(1, (nodes.size() - 1) / 2);
      for (size_t i = 0; i < n; ++i) {  // a random n of them, in node order
        std::swap(nodes[i], nodes[i + rng.Uniform(nodes.size() - i)]);
      }
      nodes.resize(n);
      std::sort(nodes.begin(), nodes.end());
      target = nodes;
    }
    recovery_ = kind == "kill"    ? Op{"start", nullptr, nullptr}
                : kind == "pause" ? Op{"resume", nullptr, nullptr}
                                  : Op{"heal", nullptr, "network"};
    return Op{kind, nullptr, target};
  }

  ScheduleOptions o_;
  Nanos next_ = -1;
  std::optional<Op> recovery_;
};

}  // namespace

Result<Schedule> MakeSchedule(const ScheduleOptions& options) {
  Schedule schedule;
  schedule.heal = generator::Once(Op{"heal", nullptr, nullptr});
  std::vector<std::string> faults;
  for (const std::string& f : options.faults) {
    if (f == "none") continue;
    if (f != "kill" && f != "pause" && f != "partition" && f != "client-pause") {
      return Status::Error("unknown nemesis '" + f +
                           "' (known: none, kill, pause, partition, client-pause)");
    }
    if (f == "client-pause" && options.clients < 1) {
      return Status::Error("nemesis client-pause needs client threads");
    }
    faults.push_back(f);
  }
  for (const std::string& t : options.targets) {
    const std::vector<std::string> known = TargetNames();
    if (std::find(known.begin(), known.end(), t) == known.end()) {
      return Status::Error("unknown nemesis target '" + t +
                           "' (known: one, majority, minority, leader, all)");
    }
  }
  if (faults.empty()) {
    schedule.main = generator::Sleep(std::chrono::nanoseconds(0));
    return schedule;
  }
  if (options.targets.empty()) return Status::Error("nemesis targets: name at least one");
  ScheduleOptions o = options;
  o.faults = faults;
  schedule.main = std::make_unique<FaultCycle>(std::move(o));
  return schedule;
}

Status CheckSupported(const ScheduleOptions& options, const systems::Abilities& abilities,
                      const std::string& system) {
  auto list = [](const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
    return text;
  };
  std::vector<std::string> faults = {"kill", "pause", "client-pause"}, targets;
  if (abilities.partition) faults.push_back("partition");
  for (const std::string& t : TargetNames()) {
    if (t != "leader" || abilities.leader) targets.push_back(t);
  }
  bool node_faults = false;
  for (const std::string& f : options.faults) {
    if (f == "partition" && !abilities.partition) {
      return Status::Error("nemesis=partition: system " + system +
                           " cannot partition its nodes (its faults: " + list(faults) + ")");
    }
    node_faults = node_faults || f == "kill" || f == "pause" || f == "partition";
  }
  for (const std::string& t : options.targets) {
    if (node_faults && t == "leader" && !abilities.leader) {
      return Status::Error("target=leader: system " + system +
                           " cannot tell which node leads (its targets: " + list(targets) + ")");
    }
  }
  return Status();
}

std::vector<std::string> NemesisNames() {
  return {"none", "kill", "pause", "partition", "client-pause"};
}

std::vector<std::string> TargetNames() { return {"one", "majority", "minority", "leader", "all"}; }

}  // namespace jepsen::nemesis
