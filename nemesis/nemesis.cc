#include "nemesis/nemesis.h"

#include <algorithm>

#include "generator/combinators.h"
#include "nemesis/disk/disk_checks.h"
#include "nemesis/node_holds.h"
#include "nemesis/packages.h"
#include "nemesis/schedule.h"
#include "nemesis/targets.h"

namespace jepsen::nemesis {
namespace {

constexpr const char* kNone = "none";
constexpr const char* kAllFaults = "all";  // nemesis=all

// Left out of nemesis=all: it damages a node's data on purpose; name it to have it.
bool LeftOutOfAll(const std::string& fault) { return fault == "corrupt"; }

void AddOnce(std::vector<std::string>& names, const std::string& name) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

// `faults` with "all" replaced by those of `candidates` it stands for, each name once.
std::vector<std::string> SpellOutAll(const std::vector<std::string>& faults,
                                     const std::vector<std::string>& candidates) {
  std::vector<std::string> out;
  for (const std::string& name : faults) {
    if (name != kAllFaults) {
      AddOnce(out, name);
      continue;
    }
    for (const std::string& fault : candidates) {
      if (fault != kNone && fault != kAllFaults && !LeftOutOfAll(fault)) AddOnce(out, fault);
    }
  }
  return out;
}

std::string List(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

bool Among(const history::FaultKind& kind, const std::vector<std::string>& names) {
  return std::find(names.begin(), names.end(), kind.name) != names.end();
}

// The faults a system can carry out, in registration order.
std::vector<std::string> SupportedFaults(const Plan& plan) {
  std::vector<std::string> names;
  for (const std::unique_ptr<Package>& p : NewPackages()) {
    for (const history::FaultKind& k : p->kinds()) {
      if (p->Supports(k.name, plan).ok()) names.push_back(k.name);
    }
  }
  return names;
}

}  // namespace

std::vector<std::string> NemesisNames() {
  std::vector<std::string> names = {kNone, kAllFaults};
  for (const std::unique_ptr<Package>& p : NewPackages()) {
    for (const history::FaultKind& k : p->kinds()) names.push_back(k.name);
  }
  return names;
}

std::vector<std::string> ExpandAll(const Plan& plan) {
  return SpellOutAll(plan.faults, SupportedFaults(plan));
}

Result<std::vector<Chosen>> Choose(const std::vector<std::string>& faults) {
  std::vector<std::unique_ptr<Package>> packages = NewPackages();
  std::vector<std::shared_ptr<Package>> shared;  // each instance shared by all its faults
  for (std::unique_ptr<Package>& p : packages) shared.push_back(std::move(p));
  std::vector<Chosen> chosen;
  for (const std::string& name : SpellOutAll(faults, NemesisNames())) {
    if (name == kNone) continue;
    auto owner = std::find_if(shared.begin(), shared.end(), [&](const auto& p) {
      const std::vector<history::FaultKind> kinds = p->kinds();
      return std::any_of(kinds.begin(), kinds.end(),
                         [&](const history::FaultKind& k) { return k.name == name; });
    });
    if (owner == shared.end()) {
      const std::vector<std::string> known = NemesisNames();
      const std::string nearest = options::NearestName(name, known);
      return Status::Error("unknown nemesis '" + name + "'" +
                           (nearest.empty() ? "" : "; did you mean '" + nearest + "'?") +
                           " (known: " + List(known) + ")");
    }
    auto it = std::find_if(chosen.begin(), chosen.end(),
                           [&](const Chosen& c) { return c.package == *owner; });
    if (it == chosen.end()) it = chosen.insert(chosen.end(), Chosen{*owner, {}});
    if (std::find(it->names.begin(), it->names.end(), name) == it->names.end()) {
      it->names.push_back(name);
    }
  }
  return chosen;
}

Status CheckSupported(const Plan& plan) {
  Result<std::vector<Chosen>> chosen = Choose(plan.faults);
  if (!chosen.ok()) return chosen.status();
  if (Status s = CheckTargets(plan.targets); !s.ok()) return s;
  bool aimed = false;
  for (const Chosen& c : *chosen) {
    for (const std::string& name : c.names) {
      if (Status s = c.package->Supports(name, plan); !s.ok()) {
        return Status::Error("nemesis=" + name + ": " + s.message() +
                             " (its faults: " + List(SupportedFaults(plan)) + ")");
      }
      aimed = aimed || c.package->TakesTargets(name);
    }
  }
  return aimed ? CheckTargets(plan.targets, plan.abilities, plan.system) : Status();
}

Status Configure(const Plan& plan, systems::SetupContext& setup) {
  Result<std::vector<Chosen>> chosen = Choose(plan.faults);
  if (!chosen.ok()) return chosen.status();
  for (const Chosen& c : *chosen) {
    for (const std::string& name : c.names) c.package->Configure(name, setup);
  }
  if (setup.disks) setup.disk_flags = DiskFlags(plan.options);
  return Status();
}

Result<std::vector<history::FaultKind>> Vocabulary(const Plan& plan) {
  Result<std::vector<Chosen>> chosen = Choose(plan.faults);
  if (!chosen.ok()) return chosen.status();
  std::vector<history::FaultKind> kinds;
  for (const Chosen& c : *chosen) {
    for (history::FaultKind& k : c.package->kinds()) {
      if (Among(k, c.names)) kinds.push_back(std::move(k));
    }
  }
  return kinds;
}

Result<Schedule> MakeSchedule(const Plan& plan) {
  if (Status s = CheckSupported(plan); !s.ok()) return s;
  Result<std::vector<Chosen>> chosen = Choose(plan.faults);
  if (!chosen.ok()) return chosen.status();
  std::vector<Offered> offered;
  for (const Chosen& c : *chosen) {
    for (const std::string& name : c.names) {
      if (c.package->TakesTargets(name) && plan.nodes.empty()) {
        return Status::Error("nemesis=" + name + ": the system has no nodes to aim it at");
      }
      offered.push_back({c.package, name});
    }
  }
  Schedule schedule;
  schedule.heal = generator::Once(HealAll());
  if (offered.empty()) {
    schedule.main = generator::Sleep(std::chrono::nanoseconds(0));
  } else if (!plan.overlap) {
    schedule.main = FaultCycle(std::move(offered), plan, StreamFor(plan.seed, "nemesis"), false);
  } else {
    std::vector<generator::GenPtr> cycles;
    for (Offered& o : offered) {
      generator::Rng stream = StreamFor(plan.seed, o.name);
      cycles.push_back(FaultCycle({std::move(o)}, plan, stream, true));
    }
    schedule.main = generator::Any(std::move(cycles));
  }
  return schedule;
}

Op HealAll() { return Op{std::string(history::kHealAll), nullptr, nullptr}; }

bool IsHealAll(const Op& op) { return op.f == history::kHealAll && op.key.is_null(); }

Result<std::unique_ptr<Nemesis>> Nemesis::Make(const Plan& plan, systems::System& system,
                                               ClientControl* clients) {
  Result<std::vector<Chosen>> chosen = Choose(plan.faults);
  if (!chosen.ok()) return chosen.status();
  std::unique_ptr<NodeHolds> holds;
  if (auto* nodes = systems::Find<systems::ProcessNodes>(system)) {
    holds = std::make_unique<NodeHolds>(*nodes);
  }
  bool restarts = false;
  for (const Chosen& c : *chosen) {
    if (holds) c.package->ShareHolds(*holds);
    if (Status s = c.package->Bind(system, clients); !s.ok()) return s;
    restarts = restarts || c.package->RestartsNodes();
  }
  std::unique_ptr<Nemesis> nemesis(new Nemesis(std::move(chosen).value(), std::move(holds)));
  if (restarts) {
    nemesis->processes_ = systems::Find<systems::ProcessNodes>(system);
    nemesis->nodes_ = system.nodes();
  }
  return nemesis;
}

Nemesis::Nemesis(std::vector<Chosen> chosen, std::unique_ptr<NodeHolds> holds)
    : holds_(std::move(holds)), chosen_(std::move(chosen)) {}

Nemesis::~Nemesis() = default;

Applied Nemesis::Apply(const Op& op) {
  if (IsHealAll(op)) return Applied{op.f, Heal(), "", ""};
  const std::string kind = op.key.is_string() ? op.key.get<std::string>() : "";
  for (const Chosen& c : chosen_) {
    if (std::find(c.names.begin(), c.names.end(), kind) == c.names.end()) continue;
    Applied applied = c.package->Apply(op);
    applied.fault = kind;
    return applied;
  }
  return Applied{op.f, op.value, "nemesis op '" + op.f + "' names no fault of this run", ""};
}

Json Nemesis::Heal() {
  Json touched = Json::array();
  std::vector<const Chosen*> order;  // those that restart nodes last
  for (const Chosen& c : chosen_) {
    if (!c.package->RestartsNodes()) order.push_back(&c);
  }
  for (const Chosen& c : chosen_) {
    if (c.package->RestartsNodes()) order.push_back(&c);
  }
  for (const Chosen* c : order) {
    for (const Applied& healed : c->package->Heal()) {
      if (!healed.error.empty()) continue;
      // An end whose nodes other faults still hold records {"nodes", "held"}.
      const Json& value = healed.value.is_object() && healed.value.contains("held")
                              ? healed.value["nodes"]
                              : healed.value;
      for (const Json& item : value.is_array() ? value : Json::array({value})) {
        if (std::find(touched.begin(), touched.end(), item) == touched.end()) {
          touched.push_back(item);  // a node both paused and killed is touched once
        }
      }
    }
  }
  Json restarted = Json::array();
  for (const std::string& node : processes_ ? nodes_ : std::vector<std::string>{}) {
    if (processes_->ProcessGroup(node) == 0 && processes_->Restart(node).ok()) {
      restarted.push_back(node);
    }
  }
  if (!restarted.empty()) touched.push_back({{"restarted", restarted}});
  return touched;
}

std::vector<Applied> Nemesis::ReleaseClients() {
  std::vector<Applied> released;
  for (const Chosen& c : chosen_) {
    if (!c.package->HoldsClients()) continue;
    for (Applied& healed : c.package->Heal()) released.push_back(std::move(healed));
  }
  return released;
}

bool Nemesis::healed() const {
  return std::all_of(chosen_.begin(), chosen_.end(),
                     [](const Chosen& c) { return c.package->healed(); });
}

}  // namespace jepsen::nemesis
