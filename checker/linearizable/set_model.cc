// A grow-only set: add(v), read -> all elements. A state is the interned sorted
// sequence of element ids.
#include <algorithm>

#include "checker/linearizable/models.h"
#include "checker/linearizable/value_table.h"
#include "history/json_text.h"

namespace jepsen::checker::linearizable {
namespace {

class SetModel : public Model {
 public:
  explicit SetModel(const ModelOptions& options) {
    std::vector<uint32_t> initial;
    if (options.has_initial && options.initial.is_array()) {
      for (const Json& v : options.initial) initial.push_back(values_.Intern(v));
    }
    initial_ = states_.Intern(Normalize(std::move(initial)));
  }

  Status Add(const history::History& history, const history::Op& op) override {
    const std::string& f = history.invocation(op).f;
    Compiled c;
    if (f == "add") {
      c.read = false;
      c.arg = values_.Intern(history.invocation(op).value);
    } else if (f == "read") {
      c.read = true;
      const Json& seen = history.value(op);
      if (op.outcome != history::EventType::kOk) {
        c.arg = kAny;
      } else if (!seen.is_array()) {
        return OpError(history, op, "set", "field 'value' of a read must be an array");
      } else {
        std::vector<uint32_t> elements;
        for (const Json& v : seen) elements.push_back(values_.Intern(v));
        c.arg = states_.Intern(Normalize(std::move(elements)));
      }
    } else {
      return OpError(history, op, "set",
                     "operation " + history::Quote(f) + " unknown (expected add, read)");
    }
    ops_.push_back(c);
    return Status();
  }

  State Initial() override { return initial_; }

  std::optional<State> Step(State state, uint32_t i) override {
    const Compiled& c = ops_[i];
    if (c.read) {
      if (c.arg == kAny || c.arg == state) return state;
      return std::nullopt;
    }
    const std::vector<uint32_t>& current = states_.Get(static_cast<uint32_t>(state));
    if (std::binary_search(current.begin(), current.end(), c.arg)) return state;
    std::vector<uint32_t> next = current;
    next.insert(std::lower_bound(next.begin(), next.end(), c.arg), c.arg);
    return states_.Intern(next);
  }

  bool ReadOnly(uint32_t i) const override { return ops_[i].read; }
  // The set only grows: a read is reachable only while the state is a subset of what it saw.
  bool Unreachable(State state, uint32_t read, const std::vector<uint8_t>&) const override {
    const Compiled& c = ops_[read];
    if (c.arg == kAny) return false;
    const std::vector<uint32_t>& have = states_.Get(static_cast<uint32_t>(state));
    const std::vector<uint32_t>& seen = states_.Get(c.arg);
    return !std::includes(seen.begin(), seen.end(), have.begin(), have.end());
  }
  uint64_t EffectKey(uint32_t i) const override {
    return (ops_[i].read ? 1ull << 40 : 0) | ops_[i].arg;
  }
  Json Describe(State state) const override {
    Json out = Json::array();
    for (uint32_t id : states_.Get(static_cast<uint32_t>(state))) out.push_back(values_.Get(id));
    return out;
  }

 private:
  static constexpr uint32_t kAny = UINT32_MAX;
  struct Compiled {
    bool read;
    uint32_t arg;  // element id for add, state id for read
  };
  static std::vector<uint32_t> Normalize(std::vector<uint32_t> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  }

  ValueTable values_;
  SequenceTable states_;
  uint32_t initial_;
  std::vector<Compiled> ops_;
};

}  // namespace

std::unique_ptr<Model> MakeSet(const ModelOptions& options) {
  return std::make_unique<SetModel>(options);
}

}  // namespace jepsen::checker::linearizable
