#include "nemesis/network/link_package.h"

#include <functional>

#include "nemesis/switched_package.h"
#include "systems/capabilities.h"

namespace jepsen::nemesis {
namespace {

constexpr const char* kLossPercent = "loss-percent";
constexpr const char* kSlowKbit = "slow-kbit";

// Sets the link of a node to `amount` (a share lost, a rate), and back to 0.
using LinkSetter = std::function<Status(systems::Network&, const std::string& node, int64_t)>;

class LinkSwitch final : public NodeSwitch {
 public:
  LinkSwitch(systems::Network& network, const char* field, LinkSetter set)
      : network_(network), field_(field), set_(std::move(set)) {}

  Status On(const std::string& node, const Json& value) override {
    return set_(network_, node, value.value(field_, int64_t{0}));
  }
  Result<Json> Off(const std::string& node) override {
    if (Status s = set_(network_, node, 0); !s.ok()) return s;
    return Json();
  }

 private:
  systems::Network& network_;
  const char* field_;
  LinkSetter set_;
};

// A link fault whose begin value carries `field`, the option `option`'s value; `ability`, what
// the system must offer besides its network (none: "").
std::unique_ptr<Package> NewLinkPackage(history::FaultKind kind, std::string help,
                                        options::Option option_declared, const char* field,
                                        const char* ability, LinkSetter set) {
  SwitchedFault fault;
  fault.kind = std::move(kind);
  fault.help = std::move(help);
  const std::string option = option_declared.name;
  fault.options = {std::move(option_declared)};
  fault.draw = [option, field](const Plan& plan, generator::Rng&) {
    return Json{{field, plan.options.Integer(option)}};
  };
  fault.supports = [ability](const Plan& plan) {
    if (!plan.abilities.offers(systems::Network::kName)) {
      return Status::Error("system " + plan.system + " has no network of the run's own to degrade");
    }
    if (*ability != 0 && !plan.abilities.offers(ability)) {
      auto why = plan.abilities.why_not.find(ability);
      return Status::Error(
          "system " + plan.system + " " +
          (why != plan.abilities.why_not.end() ? why->second : "cannot " + std::string(ability)));
    }
    return Status();
  };
  fault.configure = [](systems::SetupContext& setup) { setup.private_network = true; };
  fault.bind = [field, set](systems::System& system) -> Result<std::unique_ptr<NodeSwitch>> {
    systems::Network* network = systems::Find<systems::Network>(system);
    if (network == nullptr) return Status::Error("the system offers no network to degrade");
    return std::unique_ptr<NodeSwitch>(std::make_unique<LinkSwitch>(*network, field, set));
  };
  return NewSwitchedPackage(std::move(fault));
}

}  // namespace

std::unique_ptr<Package> NewLossPackage() {
  return NewLinkPackage(
      {"loss",
       "network",
       {"loss-start"},
       {"loss-end"},
       true,
       "node's link lossy: value.percent of its packets dropped at random each way",
       "#8fb0d8"},
      "drop loss-percent of a target's packets at random, each way (nftables in the run's own "
      "network namespaces; root)",
      options::Integer(kLossPercent, 20, {1, 100},
                       "loss: the share of a target's packets dropped, each way (percent)"),
      "percent", "", [](systems::Network& n, const std::string& node, int64_t percent) {
        return n.SetLoss(node, static_cast<int>(percent));
      });
}

std::unique_ptr<Package> NewSlowPackage() {
  return NewLinkPackage(
      {"slow",
       "network",
       {"slow-start"},
       {"slow-end"},
       true,
       "node's link slow: at most value.kbit kbit/s each way, the rest queued",
       "#b8c8e8"},
      "limit a target's link to slow-kbit kbit/s each way (a token bucket, tc tbf, in the run's "
      "own network namespaces; root)",
      options::Integer(kSlowKbit, 256, {8, 10'000'000},
                       "slow: a target's bandwidth each way while it lasts (kbit/s)"),
      "kbit", systems::Network::kSlowLinks,
      [](systems::Network& n, const std::string& node, int64_t kbit) {
        return n.SetRate(node, kbit);
      });
}

}  // namespace jepsen::nemesis
