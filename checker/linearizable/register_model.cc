// Registers: a single value read, written, compare-and-set, or (Porcupine's kv)
// appended to. A state is the interned id of the current value.
#include "checker/linearizable/models.h"
#include "checker/linearizable/value_table.h"

namespace jepsen::checker::linearizable {
namespace {

constexpr uint32_t kAnyValue = UINT32_MAX;  // a read that observed nothing

class RegisterModel : public Model {
 public:
  RegisterModel(RegisterKind kind, const ModelOptions& options)
      : kind_(kind), nil_read_any_(options.nil_read_any) {
    Json initial = options.has_initial ? options.initial
                                       : (kind == RegisterKind::kKv ? Json("") : Json(nullptr));
    initial_ = values_.Intern(initial);
  }

  Status Add(const history::History& history, const history::Op& op) override {
    const std::string& f = history.invocation(op).f;
    const Json& value = history.value(op);
    Compiled c;
    if (f == "read" || (f == "get" && kind_ == RegisterKind::kKv)) {
      c.kind = Kind::kRead;
      bool observed = op.outcome == history::EventType::kOk;
      c.a = !observed || (value.is_null() && nil_read_any_) ? kAnyValue : values_.Intern(value);
    } else if (f == "write" || (f == "put" && kind_ == RegisterKind::kKv)) {
      c.kind = Kind::kWrite;
      c.a = values_.Intern(history.invocation(op).value);
    } else if (f == "cas" && kind_ != RegisterKind::kRegister) {
      const Json& args = history.invocation(op).value;
      if (!args.is_array() || args.size() != 2) {
        return OpError(history, op, name(), "field 'value' of a cas must be [expected, new]");
      }
      c.kind = Kind::kCas;
      c.a = values_.Intern(args[0]);
      c.b = values_.Intern(args[1]);
    } else if (f == "append" && kind_ == RegisterKind::kKv) {
      const Json& suffix = history.invocation(op).value;
      if (!suffix.is_string()) {
        return OpError(history, op, name(), "field 'value' of an append must be a string");
      }
      c.kind = Kind::kAppend;
      c.a = values_.Intern(suffix);
    } else {
      return OpError(history, op, name(), "operation '" + f + "' unknown (expected " +
                                              expected() + ")");
    }
    ops_.push_back(c);
    return Status();
  }

  State Initial() override { return initial_; }

  std::optional<State> Step(State state, uint32_t i) override {
    const Compiled& c = ops_[i];
    switch (c.kind) {
      case Kind::kRead:
        if (c.a == kAnyValue || c.a == state) return state;
        return std::nullopt;
      case Kind::kWrite:
        return c.a;
      case Kind::kCas:
        if (c.a == state) return c.b;
        return std::nullopt;
      case Kind::kAppend: {
        const Json& current = values_.Get(static_cast<uint32_t>(state));
        if (!current.is_string() && !current.is_null()) return std::nullopt;
        std::string next = current.is_string() ? current.get<std::string>() : "";
        next += values_.Get(c.a).get<std::string>();
        return values_.Intern(next);
      }
    }
    return std::nullopt;
  }

  bool ReadOnly(uint32_t i) const override { return ops_[i].kind == Kind::kRead; }

  uint64_t EffectKey(uint32_t i) const override {
    const Compiled& c = ops_[i];
    return (static_cast<uint64_t>(c.kind) << 62) | (static_cast<uint64_t>(c.a) << 31) | c.b;
  }

  Json Describe(State state) const override { return values_.Get(static_cast<uint32_t>(state)); }

 private:
  enum class Kind : uint8_t { kRead, kWrite, kCas, kAppend };
  struct Compiled {
    Kind kind;
    uint32_t a = 0;
    uint32_t b = 0;
  };

  std::string_view name() const {
    switch (kind_) {
      case RegisterKind::kRegister:
        return "register";
      case RegisterKind::kCasRegister:
        return "cas-register";
      case RegisterKind::kKv:
        return "kv";
    }
    return "register";
  }
  std::string expected() const {
    switch (kind_) {
      case RegisterKind::kRegister:
        return "read, write";
      case RegisterKind::kCasRegister:
        return "read, write, cas";
      case RegisterKind::kKv:
        return "read/get, write/put, cas, append";
    }
    return "";
  }

  RegisterKind kind_;
  bool nil_read_any_;
  ValueTable values_;
  uint32_t initial_;
  std::vector<Compiled> ops_;
};

}  // namespace

std::unique_ptr<Model> MakeRegister(RegisterKind kind, const ModelOptions& options) {
  return std::make_unique<RegisterModel>(kind, options);
}

}  // namespace jepsen::checker::linearizable
