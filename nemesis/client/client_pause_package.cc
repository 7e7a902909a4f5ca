#include "nemesis/client/client_pause_package.h"

#include <algorithm>
#include <set>
#include <string_view>

namespace jepsen::nemesis {
namespace {

constexpr const char* kClientPause = "client-pause";
constexpr const char* kPause = "pause";
constexpr const char* kResume = "resume";
constexpr std::string_view kClientPrefix = "client-";
constexpr const char* kSecondsOption = "client-pause-s";

class ClientPausePackage final : public Package {
 public:
  std::vector<history::FaultKind> kinds() const override {
    return {{kClientPause,
             "client",
             {kPause},
             {kResume},
             true,
             "client thread frozen (a GC pause as its client sees it), thawed when it ends",
             "#f3cf8c"}};
  }

  std::string Help(const std::string&) const override {
    return "freeze a client thread (a GC pause) past its lease: 1.5 TTL + 0.5 s";
  }

  std::vector<options::Option> options() const override {
    return {options::Number(kSecondsOption, 0, {0, 86400},
                            "Seconds a client-pause keeps its client frozen (0: past its lease, "
                            "1.5 TTL + 0.5 s; the nemesis interval without a lease)")};
  }

  bool TakesTargets(const std::string&) const override { return false; }

  Status Supports(const std::string&, const Plan& plan) const override {
    if (plan.clients >= 1) return Status();
    return Status::Error("the run has no client threads to pause");
  }

  Fault NextFault(const std::string&, const Plan& plan, generator::Rng& rng) const override {
    const Json clients = Json::array({ClientName(static_cast<int>(rng.Uniform(plan.clients)))});
    return Fault{Op{kPause, nullptr, clients}, Op{kResume, nullptr, clients}, Lasts(plan)};
  }

  Status Bind(systems::System&, ClientControl* clients) override {
    clients_ = clients;
    if (clients_ == nullptr) return Status::Error("client-pause needs the run's client threads");
    return Status();
  }

  Applied Apply(const Op& op) override {
    Applied applied{op.f, op.value, "", ""};
    if (op.f != kPause && op.f != kResume) {
      applied.error = "the client package has no op '" + op.f + "'";
      return applied;
    }
    std::vector<int> threads;
    if (op.value.is_null() && op.f == kResume) {
      threads.assign(frozen_.begin(), frozen_.end());
    } else if (!op.value.is_array()) {
      applied.error = "a client pause's value must be a list of client threads";
      return applied;
    } else {
      for (const Json& name : op.value) {
        const int thread = name.is_string() ? ClientThread(name.get<std::string>()) : -1;
        if (thread < 0 || thread >= clients_->clients()) {
          applied.error = "nemesis op names unknown client " + name.dump();
          return applied;
        }
        threads.push_back(thread);
      }
    }
    Json done = Json::array();
    for (int thread : threads) {
      Status s = op.f == kPause ? clients_->Freeze(thread) : clients_->Thaw(thread);
      if (op.f == kPause && s.ok()) frozen_.insert(thread);
      if (op.f == kResume) frozen_.erase(thread);
      if (!s.ok()) {
        applied.error = s.message();
        return applied;
      }
      done.push_back(ClientName(thread));
    }
    applied.value = std::move(done);
    return applied;
  }

  std::vector<Applied> Heal() override {
    if (frozen_.empty()) return {};
    Json thawed = Json::array();
    for (int thread : frozen_) {
      if (clients_->Thaw(thread).ok()) thawed.push_back(ClientName(thread));
    }
    frozen_.clear();
    return {{kResume, thawed, "", kClientPause}};
  }

  bool healed() const override { return frozen_.empty(); }
  bool HoldsClients() const override { return true; }

 private:
  // As long as asked; else frozen past the lease's end, so the client wakes to a lease it lost.
  static Nanos Lasts(const Plan& plan) {
    const Json& seconds = plan.options.Get(kSecondsOption);
    if (seconds.is_number() && seconds.get<double>() > 0) {
      return static_cast<Nanos>(seconds.get<double>() * 1e9);
    }
    const Json ttl_ms =
        plan.run_options.is_object() ? plan.run_options.value("ttl_ms", Json()) : Json();
    if (!ttl_ms.is_number()) return 0;
    return static_cast<Nanos>((1.5 * ttl_ms.get<double>() / 1000 + 0.5) * 1e9);
  }

  ClientControl* clients_ = nullptr;
  std::set<int> frozen_;
};

}  // namespace

std::string ClientName(int thread) { return std::string(kClientPrefix) + std::to_string(thread); }

int ClientThread(const std::string& name) {
  if (name.rfind(kClientPrefix, 0) != 0) return -1;
  const std::string digits = name.substr(kClientPrefix.size());
  if (digits.empty() || digits.size() > 9 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return -1;
  }
  return std::stoi(digits);
}

std::unique_ptr<Package> NewClientPausePackage() { return std::make_unique<ClientPausePackage>(); }

}  // namespace jepsen::nemesis
