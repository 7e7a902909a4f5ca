// A lock: acquire when free, release when held. State 0 = free, 1 = held.
#include "checker/linearizable/models.h"
#include "history/json_text.h"

namespace jepsen::checker::linearizable {
namespace {

class MutexModel : public Model {
 public:
  explicit MutexModel(const ModelOptions& options) {
    if (options.has_initial) {
      const Json& v = options.initial;
      held_initially_ = (v.is_boolean() && v.get<bool>()) || (v.is_string() && v == "held");
    }
  }

  Status Add(const history::History& history, const history::Op& op) override {
    const std::string& f = history.invocation(op).f;
    if (f == "acquire") {
      acquire_.push_back(true);
    } else if (f == "release") {
      acquire_.push_back(false);
    } else {
      return OpError(history, op, "mutex",
                     "operation " + history::Quote(f) + " unknown (expected acquire, release)");
    }
    return Status();
  }

  State Initial() override { return held_initially_ ? 1 : 0; }

  std::optional<State> Step(State state, uint32_t i) override {
    if (acquire_[i]) {
      if (state == 0) return 1;
    } else if (state == 1) {
      return 0;
    }
    return std::nullopt;
  }

  bool ReadOnly(uint32_t) const override { return false; }
  uint64_t EffectKey(uint32_t i) const override { return acquire_[i] ? 1 : 2; }
  Json Describe(State state) const override { return state == 1 ? "held" : "free"; }

 private:
  bool held_initially_ = false;
  std::vector<bool> acquire_;
};

}  // namespace

std::unique_ptr<Model> MakeMutex(const ModelOptions& options) {
  return std::make_unique<MutexModel>(options);
}

}  // namespace jepsen::checker::linearizable
