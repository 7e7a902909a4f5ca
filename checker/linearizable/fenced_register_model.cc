// The resource a lease protects: it accepts a write {token, value} only if the
// token is not below the highest it has accepted; a read returns the last
// accepted {token, value} (null before any). Refused (fail) writes are correct
// behaviour and are dropped before the search like every failed op.
#include "checker/linearizable/models.h"
#include "checker/linearizable/value_table.h"
#include "history/json_text.h"

namespace jepsen::checker::linearizable {
namespace {

class FencedRegisterModel : public Model {
 public:
  explicit FencedRegisterModel(const ModelOptions& options) {
    initial_ = Intern(options.has_initial ? options.initial : Json(nullptr));
  }

  Status Add(const history::History& history, const history::Op& op) override {
    const std::string& f = history.invocation(op).f;
    Compiled c;
    if (f == "write") {
      const Json& v = history.invocation(op).value;
      if (!v.is_object() || !v.contains("token") || !v["token"].is_number_integer()) {
        return OpError(history, op, "fenced-register",
                       "field 'value' of a write must be {\"token\": N, \"value\": V}");
      }
      c.read = false;
      c.state = Intern(Json{{"token", v["token"]}, {"value", v.value("value", Json())}});
    } else if (f == "read") {
      c.read = true;
      const Json& seen = history.value(op);
      if (op.outcome != history::EventType::kOk) {
        c.state = kAny;
      } else if (!seen.is_null() && (!seen.is_object() || !seen.contains("token"))) {
        return OpError(history, op, "fenced-register",
                       "field 'value' of a read must be {\"token\": N, \"value\": V} or null");
      } else {
        c.state = Intern(seen.is_null() ? seen
                                        : Json{{"token", seen["token"]},
                                               {"value", seen.value("value", Json())}});
      }
    } else {
      return OpError(history, op, "fenced-register",
                     "operation " + history::Quote(f) + " unknown (expected write, read)");
    }
    ops_.push_back(c);
    return Status();
  }

  State Initial() override { return initial_; }

  std::optional<State> Step(State state, uint32_t i) override {
    const Compiled& c = ops_[i];
    if (c.read) {
      if (c.state == kAny || c.state == state) return state;
      return std::nullopt;
    }
    if (tokens_[c.state] < tokens_[state]) return std::nullopt;
    return c.state;
  }

  bool ReadOnly(uint32_t i) const override { return ops_[i].read; }
  uint64_t EffectKey(uint32_t i) const override {
    return (ops_[i].read ? 1ull << 40 : 0) | ops_[i].state;
  }
  Json Describe(State state) const override { return values_.Get(static_cast<uint32_t>(state)); }

 private:
  static constexpr uint32_t kAny = UINT32_MAX;
  struct Compiled {
    bool read;
    uint32_t state;  // the state a write installs, or the state a read saw
  };
  uint32_t Intern(const Json& v) {
    uint32_t id = values_.Intern(v);
    if (id >= tokens_.size()) {
      tokens_.resize(id + 1, INT64_MIN);
      if (v.is_object()) tokens_[id] = v["token"].get<int64_t>();
    }
    return id;
  }

  ValueTable values_;
  std::vector<int64_t> tokens_;  // state id -> its token (INT64_MIN before any write)
  uint32_t initial_;
  std::vector<Compiled> ops_;
};

}  // namespace

std::unique_ptr<Model> MakeFencedRegister(const ModelOptions& options) {
  return std::make_unique<FencedRegisterModel>(options);
}

}  // namespace jepsen::checker::linearizable
