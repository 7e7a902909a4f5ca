#include "nemesis/disk/power_package.h"

#include <functional>
#include <optional>

#include "nemesis/disk/disk_checks.h"
#include "nemesis/node_holds.h"
#include "nemesis/targets.h"
#include "systems/disk/node_disk.h"

namespace jepsen::nemesis {
namespace {

constexpr const char* kCorruptFiles = "corrupt-files";

// What a fault that takes a node down does to its disk while it is down: its vocabulary, the
// fields it draws for each fault, and the act, whose record the off event keeps under `key`.
struct DownFault {
  history::FaultKind kind;  // one begin f (off), one end f (on)
  std::string help;
  std::string doing;  // what a system without disks cannot do: "lose power"
  std::string key;    // value.<key>.<node>: what the act did ("lost", "corrupted")
  // Fields of the off op's value besides "nodes", drawn for each fault; may be null.
  std::function<Json(const Plan&, generator::Rng&)> draw;
  // The act on the `index`-th target's disk, once it is down; `value` is the off op's.
  std::function<Result<Json>(systems::Disks&, const std::string& node, size_t index,
                             const Json& value)>
      act;
  std::vector<options::Option> options;
};

Json LostJson(const systems::LostWrites& loss, bool torn) {
  Json lost = {{"files", loss.files}, {"bytes", loss.bytes}, {"writes", loss.writes}};
  if (!loss.metadata.empty()) lost["metadata"] = loss.metadata;  // disk-metadata=strict
  if (!torn) return lost;
  lost["torn"] = Json::array();
  for (const systems::TornWrite& t : loss.torn) {
    lost["torn"].push_back({{"file", t.file},
                            {"offset", t.offset},
                            {"length", t.length},
                            {"how", t.how},
                            {"kept", t.kept}});
  }
  return lost;
}

class PowerPackage final : public Package {
 public:
  explicit PowerPackage(DownFault loss) : loss_(std::move(loss)) {}

  std::vector<history::FaultKind> kinds() const override { return {loss_.kind}; }

  std::string Help(const std::string&) const override { return loss_.help; }
  std::vector<options::Option> options() const override { return loss_.options; }

  bool TakesTargets(const std::string&) const override { return true; }

  Status Supports(const std::string&, const Plan& plan) const override {
    return SupportsDisks(plan, loss_.doing, true);
  }

  void Configure(const std::string&, systems::SetupContext& setup) const override {
    setup.disks = true;
  }

  Fault NextFault(const std::string&, const Plan& plan, generator::Rng& rng) const override {
    Json value = PickNodes(plan.targets, plan.nodes, rng);
    if (loss_.draw) {
      Json drawn = loss_.draw(plan, rng);
      drawn["nodes"] = std::move(value);
      value = std::move(drawn);
    }
    return Fault{Op{off(), nullptr, std::move(value)}, Op{on(), nullptr, nullptr}, 0};
  }

  void ShareHolds(NodeHolds& holds) override { holds_ = &holds; }

  Status Bind(systems::System& system, ClientControl*) override {
    disks_ = systems::Find<systems::Disks>(system);
    if (holds_ == nullptr || disks_ == nullptr) {
      return Status::Error("the system offers no nodes whose disks can lose power");
    }
    leadership_ = systems::Find<systems::Leadership>(system);
    known_ = system.nodes();
    return Status();
  }

  Applied Apply(const Op& op) override {
    Applied applied{op.f, op.value, "", ""};
    if (op.f == on()) return PowerOn(op, applied);
    if (op.f != off()) {
      applied.error = "the " + loss_.kind.name + " package has no op '" + op.f + "'";
      return applied;
    }
    // {"nodes": ..., drawn fields} or the nodes.
    const Json& named = op.value.is_object() ? op.value["nodes"] : op.value;
    Result<std::vector<std::string>> targets = ResolveNodes(named, known_, leadership_);
    if (!targets.ok()) {
      applied.error = targets.message();
      return applied;
    }
    // Every target goes down first, then each disk drops what it had not made durable: with
    // target=all no node outlives another's power loss.
    Json nodes = Json::array(), lost = Json::object();
    for (const std::string& node : *targets) {
      if (Status s = holds_->Down(node, name()); !s.ok()) {
        applied.error = s.message();
        return applied;
      }
      nodes.push_back(node);
    }
    for (size_t i = 0; i < targets->size(); ++i) {
      const std::string& node = (*targets)[i];
      Result<Json> did = loss_.act(*disks_, node, i, op.value);
      if (!did.ok()) {
        applied.error = node + ": " + did.message();
        return applied;
      }
      lost[node] = std::move(*did);
    }
    applied.value = op.value.is_object() ? op.value : Json::object();
    applied.value["nodes"] = nodes;
    applied.value[loss_.key] = lost;
    return applied;
  }

  std::vector<Applied> Heal() override {
    const std::vector<std::string> nodes = holds_->HeldBy(name());
    if (nodes.empty()) return {};
    Json done = Json::array(), held = Json::object();
    std::string error;
    for (const std::string& node : nodes) {
      if (Status s = holds_->Release(node, name(), &held); s.ok()) {
        done.push_back(node);
      } else if (error.empty()) {
        error = node + ": " + s.message();
      }
    }
    return {{on(), EndValue(std::move(done), std::move(held)), error, name()}};
  }

  bool healed() const override { return holds_ == nullptr || holds_->HeldBy(name()).empty(); }
  bool RestartsNodes() const override { return true; }

 private:
  // Restarts the nodes `op` names, or every node without power (a null value), unless
  // another fault still holds one down (node_holds.h).
  Applied PowerOn(const Op& op, Applied& applied) {
    std::vector<std::string> targets = holds_->HeldBy(name());
    if (!op.value.is_null()) {
      Result<std::vector<std::string>> named = ResolveNodes(op.value, known_, leadership_);
      if (!named.ok()) {
        applied.error = named.message();
        return applied;
      }
      targets = *named;
    }
    Json done = Json::array(), held = Json::object();
    for (const std::string& node : targets) {
      if (Status s = holds_->Release(node, name(), &held); !s.ok()) {
        applied.error = s.message();
        return applied;
      }
      done.push_back(node);
    }
    applied.value = EndValue(std::move(done), std::move(held));
    return applied;
  }

  const std::string& name() const { return loss_.kind.name; }
  const std::string& off() const { return loss_.kind.begins.front(); }
  const std::string& on() const { return loss_.kind.ends.front(); }

  DownFault loss_;
  NodeHolds* holds_ = nullptr;
  systems::Disks* disks_ = nullptr;
  systems::Leadership* leadership_ = nullptr;
  std::vector<std::string> known_;
};

}  // namespace

std::unique_ptr<Package> NewPowerPackage() {
  DownFault fault{{"power",
                   "disk",
                   {"power-off"},
                   {"power-on"},
                   true,
                   "node lost power (killed; its writes not yet durable dropped: value.lost), back "
                   "when it ends",
                   "#c9a0dc"},
                  "SIGKILL a node's process group and drop its writes not yet durable "
                  "(jepsen-diskfs; root, /dev/fuse), restart it when the fault ends",
                  "lose power",
                  "lost",
                  nullptr,
                  nullptr,
                  DiskOptions()};  // every disk fault's: they share the filesystem
  fault.act = [](systems::Disks& disks, const std::string& node, size_t,
                 const Json&) -> Result<Json> {
    Result<systems::LostWrites> loss = disks.PowerLoss(node, std::nullopt);
    if (!loss.ok()) return loss.status();
    return LostJson(*loss, false);
  };
  return std::make_unique<PowerPackage>(std::move(fault));
}

std::unique_ptr<Package> NewTornPackage() {
  DownFault fault{{"torn",
                   "disk",
                   {"torn-power-off"},
                   {"torn-power-on"},
                   true,
                   "node lost power mid-write (killed; each file's last write not durable kept in "
                   "part, the rest dropped: value.lost.<node>.torn), back when it ends",
                   "#b080c0"},
                  "like power, but each file's last write not yet durable reaches the disk in "
                  "part (whole sectors: a prefix or a random subset, from the run's seed)",
                  "lose power",
                  "lost",
                  nullptr,
                  nullptr,
                  {}};
  fault.draw = [](const Plan&, generator::Rng& rng) { return Json{{"seed", rng.Next() >> 11}}; };
  fault.act = [](systems::Disks& disks, const std::string& node, size_t,
                 const Json& value) -> Result<Json> {
    Result<systems::LostWrites> loss = disks.PowerLoss(node, value.value("seed", uint64_t{1}));
    if (!loss.ok()) return loss.status();
    return LostJson(*loss, true);
  };
  return std::make_unique<PowerPackage>(std::move(fault));
}

std::unique_ptr<Package> NewCorruptPackage() {
  DownFault fault{{"corrupt",
                   "disk",
                   {"corrupt-off"},
                   {"corrupt-on"},
                   true,
                   "node killed and one of its files damaged on disk (bits of a byte flipped or a "
                   "sector zeroed: value.corrupted), restarted when it ends",
                   "#a06040"},
                  "SIGKILL a node's process group, then flip bits in (or zero a sector of) one of "
                  "its files (corrupt-files), restart it when the fault ends (jepsen-diskfs)",
                  "corrupt its files",
                  "corrupted",
                  nullptr,
                  nullptr,
                  {options::Text(kCorruptFiles, "*",
                                 "Which of a node's files corrupt may damage: a glob over the "
                                 "path in its data directory or the name (*-wal, *.db)")}};
  fault.draw = [](const Plan& plan, generator::Rng& rng) {
    const Json& files = plan.options.Get(kCorruptFiles);
    return Json{{"seed", rng.Next() >> 11},
                {"files", files.is_string() && !files.get<std::string>().empty() ? files : "*"}};
  };
  fault.act = [](systems::Disks& disks, const std::string& node, size_t index,
                 const Json& value) -> Result<Json> {
    const uint64_t seed = value.value("seed", uint64_t{1}) + index;  // each target its own
    Result<std::string> reply = disks.DiskCommand(
        node, "corrupt " + std::to_string(seed) + " " + value.value("files", std::string("*")),
        true);
    if (!reply.ok()) return reply.status();
    Json done = Json::parse(*reply, nullptr, false);
    done.erase("ok");
    return done;
  };
  return std::make_unique<PowerPackage>(std::move(fault));
}

}  // namespace jepsen::nemesis
