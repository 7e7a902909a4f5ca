// Knossos' multi-register: ops are transactions `txn` of micro-ops
// [["read", k, v] | ["write", k, v]] applied atomically. As in Knossos, a read
// of nil observed nothing (indeterminate transactions carry nil reads). A state
// is the interned sorted sequence [k0, v0, k1, v1, ...] of written registers.
#include <algorithm>

#include "checker/linearizable/models.h"
#include "checker/linearizable/value_table.h"
#include "history/json_text.h"

namespace jepsen::checker::linearizable {
namespace {

class MultiRegisterModel : public Model {
 public:
  explicit MultiRegisterModel(const ModelOptions& options) {
    std::vector<uint32_t> initial;
    if (options.has_initial && options.initial.is_object()) {
      for (const auto& [k, v] : options.initial.items()) {
        Set(initial, values_.Intern(k), values_.Intern(v));
      }
    }
    initial_ = states_.Intern(initial);
    nil_ = values_.Intern(nullptr);
  }

  Status Add(const history::History& history, const history::Op& op) override {
    const std::string& f = history.invocation(op).f;
    if (f != "txn") {
      return OpError(history, op, "multi-register",
                     "operation " + history::Quote(f) + " unknown (expected txn)");
    }
    const Json& micro = history.value(op);
    if (!micro.is_array()) {
      return OpError(history, op, "multi-register",
                     "field 'value' of a txn must be a list of [f k v]");
    }
    Compiled c;
    c.read_only = true;
    for (const Json& m : micro) {
      if (!m.is_array() || m.size() != 3 || !m[0].is_string() ||
          (m[0] != "read" && m[0] != "write")) {
        return OpError(
            history, op, "multi-register",
            "field 'value': micro-op " + history::DumpJson(m) + " is not [read|write, k, v]");
      }
      bool write = m[0] == "write";
      c.read_only = c.read_only && !write;
      c.micro.push_back({write, values_.Intern(m[1]), values_.Intern(m[2])});
    }
    c.effect = effects_.Intern(Flatten(c.micro));
    ops_.push_back(std::move(c));
    return Status();
  }

  State Initial() override { return initial_; }

  std::optional<State> Step(State state, uint32_t i) override {
    std::vector<uint32_t> regs = states_.Get(static_cast<uint32_t>(state));
    for (const Micro& m : ops_[i].micro) {
      if (m.write) {
        Set(regs, m.key, m.value);
      } else if (m.value != nil_ && Get(regs, m.key) != m.value) {
        return std::nullopt;
      }
    }
    return states_.Intern(regs);
  }

  bool ReadOnly(uint32_t i) const override { return ops_[i].read_only; }
  uint64_t EffectKey(uint32_t i) const override { return ops_[i].effect; }
  Json Describe(State state) const override {
    Json out = Json::object();
    const std::vector<uint32_t>& regs = states_.Get(static_cast<uint32_t>(state));
    for (size_t j = 0; j + 1 < regs.size(); j += 2) {
      const Json& key = values_.Get(regs[j]);
      out[key.is_string() ? key.get<std::string>() : history::DumpJson(key)] =
          values_.Get(regs[j + 1]);
    }
    return out;
  }

 private:
  struct Micro {
    bool write;
    uint32_t key;
    uint32_t value;
  };
  struct Compiled {
    std::vector<Micro> micro;
    bool read_only;
    uint32_t effect;
  };

  static std::vector<uint32_t> Flatten(const std::vector<Micro>& micro) {
    std::vector<uint32_t> out;
    for (const Micro& m : micro) out.insert(out.end(), {m.write ? 1u : 0u, m.key, m.value});
    return out;
  }
  // regs holds sorted (key, value) pairs flattened.
  uint32_t Get(const std::vector<uint32_t>& regs, uint32_t key) const {
    for (size_t j = 0; j + 1 < regs.size(); j += 2) {
      if (regs[j] == key) return regs[j + 1];
    }
    return nil_;
  }
  static void Set(std::vector<uint32_t>& regs, uint32_t key, uint32_t value) {
    size_t j = 0;
    while (j + 1 < regs.size() && regs[j] < key) j += 2;
    if (j + 1 < regs.size() && regs[j] == key) {
      regs[j + 1] = value;
    } else {
      regs.insert(regs.begin() + static_cast<ptrdiff_t>(j), {key, value});
    }
  }

  ValueTable values_;
  SequenceTable states_;
  SequenceTable effects_;
  uint32_t initial_;
  uint32_t nil_;
  std::vector<Compiled> ops_;
};

}  // namespace

std::unique_ptr<Model> MakeMultiRegister(const ModelOptions& options) {
  return std::make_unique<MultiRegisterModel>(options);
}

}  // namespace jepsen::checker::linearizable
