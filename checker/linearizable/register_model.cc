// Registers: a single value read, written, compare-and-set, or (Porcupine's
// string kv) appended to. A state is the interned id of the current value.
#include <tuple>
#include <unordered_map>

#include "checker/linearizable/models.h"
#include "checker/linearizable/value_table.h"
#include "history/json_text.h"

namespace jepsen::checker::linearizable {
namespace {

constexpr uint32_t kAnyValue = UINT32_MAX;  // a read that observed nothing

// States are nodes: a base node holds an interned value; an append node holds
// its parent and the appended piece, with the string's hash and length, so an
// append costs a hash lookup instead of building and interning a string.
// Equal strings reached by different paths are different nodes; that costs
// memo hits, never soundness, because comparisons are by string value.
class StringNodes {
 public:
  explicit StringNodes(ValueTable& values) : values_(values) {}

  uint32_t Base(uint32_t value) {
    if (value >= base_.size()) base_.resize(value + 1, UINT32_MAX);
    if (base_[value] == UINT32_MAX) {
      const Json& v = values_.Get(value);
      Node node{UINT32_MAX, value, 0, 0};
      if (v.is_string()) std::tie(node.hash, node.length) = HashOf(v.get_ref<const std::string&>());
      base_[value] = Add(node);
    }
    return base_[value];
  }

  // REQUIRES: `piece` is a string value; the node's value is a string or null.
  uint32_t Append(uint32_t node, uint32_t piece) {
    uint64_t key = (static_cast<uint64_t>(node) << 32) | piece;
    auto it = children_.find(key);
    if (it != children_.end()) return it->second;
    const std::string& text = values_.Get(piece).get_ref<const std::string&>();
    auto [hash, length] = HashOf(text, nodes_[node].hash);
    uint32_t child = Add(Node{node, piece, hash, nodes_[node].length + length});
    children_.emplace(key, child);
    return child;
  }

  bool IsString(uint32_t node) const {
    const Node& n = nodes_[node];
    return n.parent != UINT32_MAX || values_.Get(n.piece).is_string();
  }
  bool IsNull(uint32_t node) const {
    const Node& n = nodes_[node];
    return n.parent == UINT32_MAX && values_.Get(n.piece).is_null();
  }

  // Whether the node's value equals the interned value.
  bool Equals(uint32_t node, uint32_t value) {
    const Node& n = nodes_[node];
    if (n.parent == UINT32_MAX) return n.piece == value;  // ids are canonical
    const Json& v = values_.Get(value);
    if (!v.is_string()) return false;
    auto [hash, length] = HashOf(v.get_ref<const std::string&>());
    if (hash != n.hash || length != n.length) return false;
    uint64_t key = (static_cast<uint64_t>(node) << 32) | value;
    auto it = verified_.find(key);
    if (it != verified_.end()) return it->second;
    bool equal = Text(node) == v.get_ref<const std::string&>();  // hashes can collide
    verified_.emplace(key, equal);
    return equal;
  }

  // Hashes of every prefix of `text`, comparable with node hashes.
  static std::vector<uint64_t> PrefixHashes(const Json& value) {
    std::vector<uint64_t> out{0};
    for (unsigned char c : value.get_ref<const std::string&>()) {
      out.push_back((out.back() ^ c) * kPrime);
    }
    return out;
  }
  // False only when the node's string is certainly no prefix of the text
  // whose PrefixHashes are given (equal strings have equal hashes).
  bool MaybePrefix(uint32_t node, const std::vector<uint64_t>& prefix_hashes) const {
    const Node& n = nodes_[node];
    if (n.parent == UINT32_MAX && !values_.Get(n.piece).is_string()) return n.length == 0;
    return n.length < prefix_hashes.size() && prefix_hashes[n.length] == n.hash;
  }

  Json Value(uint32_t node) const {
    const Node& n = nodes_[node];
    if (n.parent == UINT32_MAX) return values_.Get(n.piece);
    return Text(node);
  }

 private:
  struct Node {
    uint32_t parent;  // UINT32_MAX for a base node
    uint32_t piece;   // base: the value; append: the appended string
    uint64_t hash;
    uint64_t length;
  };
  static constexpr uint64_t kPrime = 0x100000001B3ull;
  static std::pair<uint64_t, uint64_t> HashOf(const std::string& text, uint64_t seed = 0) {
    uint64_t h = seed;
    for (unsigned char c : text) h = (h ^ c) * kPrime;
    return {h, text.size()};
  }
  uint32_t Add(const Node& node) {
    nodes_.push_back(node);
    return static_cast<uint32_t>(nodes_.size() - 1);
  }
  std::string Text(uint32_t node) const {
    std::vector<uint32_t> pieces;
    for (; nodes_[node].parent != UINT32_MAX; node = nodes_[node].parent) {
      pieces.push_back(nodes_[node].piece);
    }
    const Json& base = values_.Get(nodes_[node].piece);
    std::string text = base.is_string() ? base.get<std::string>() : "";
    for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) {
      text += values_.Get(*it).get_ref<const std::string&>();
    }
    return text;
  }

  ValueTable& values_;
  std::vector<Node> nodes_;
  std::vector<uint32_t> base_;                       // value id -> base node
  std::unordered_map<uint64_t, uint32_t> children_;  // (node, piece) -> node
  std::unordered_map<uint64_t, bool> verified_;      // (node, value) -> equal
};

class RegisterModel : public Model {
 public:
  RegisterModel(RegisterKind kind, const ModelOptions& options)
      : kind_(kind), nil_read_any_(options.nil_read_any), nodes_(values_) {
    Json initial = options.has_initial
                       ? options.initial
                       : (kind == RegisterKind::kStringKv ? Json("") : Json(nullptr));
    initial_ = nodes_.Base(values_.Intern(initial));
  }

  Status Add(const history::History& history, const history::Op& op) override {
    const std::string& f = history.invocation(op).f;
    const Json& value = history.value(op);
    Compiled c;
    const bool strings = kind_ == RegisterKind::kStringKv;
    if (f == "read" || (f == "get" && strings)) {
      c.kind = Kind::kRead;
      bool observed = op.outcome == history::EventType::kOk;
      c.a = !observed || (value.is_null() && nil_read_any_) ? kAnyValue : values_.Intern(value);
    } else if (f == "write" || (f == "put" && strings)) {
      c.kind = Kind::kWrite;
      c.a = nodes_.Base(values_.Intern(history.invocation(op).value));
    } else if (f == "cas" && kind_ != RegisterKind::kRegister) {
      const Json& args = history.invocation(op).value;
      if (!args.is_array() || args.size() != 2) {
        return OpError(history, op, name(), "field 'value' of a cas must be [expected, new]");
      }
      c.kind = Kind::kCas;
      c.a = values_.Intern(args[0]);
      c.b = nodes_.Base(values_.Intern(args[1]));
    } else if (f == "append" && strings) {
      const Json& suffix = history.invocation(op).value;
      if (!suffix.is_string()) {
        return OpError(history, op, name(), "field 'value' of an append must be a string");
      }
      c.kind = Kind::kAppend;
      c.a = values_.Intern(suffix);
      appends_ = true;
    } else {
      std::string what =
          "operation " + history::Quote(f) + " unknown (expected " + expected() + ")";
      if (!strings && (f == "get" || f == "put" || f == "append")) {
        what += "; Porcupine's kv histories (get, put, append on strings) need --model string-kv";
      }
      return OpError(history, op, name(), what);
    }
    ops_.push_back(c);
    return Status();
  }

  State Initial() override { return initial_; }

  std::optional<State> Step(State state, uint32_t i) override {
    const Compiled& c = ops_[i];
    const auto node = static_cast<uint32_t>(state);
    switch (c.kind) {
      case Kind::kRead:
        if (c.a == kAnyValue || nodes_.Equals(node, c.a)) return state;
        return std::nullopt;
      case Kind::kWrite:
        return c.a;
      case Kind::kCas:
        if (nodes_.Equals(node, c.a)) return c.b;
        return std::nullopt;
      case Kind::kAppend:
        if (!nodes_.IsString(node) && !nodes_.IsNull(node)) return std::nullopt;
        return nodes_.Append(node, c.a);
    }
    return std::nullopt;
  }

  bool ReadOnly(uint32_t i) const override { return ops_[i].kind == Kind::kRead; }

  // A read of v stays reachable while the state can grow into v by appends,
  // or some op not yet linearized writes v (or, with appends, a prefix of v).
  bool Unreachable(State state, uint32_t read,
                   const std::vector<uint8_t>& linearized) const override {
    const uint32_t seen = ops_[read].a;
    if (seen == kAnyValue) return false;
    const Json& v = values_.Get(seen);
    if (appends_ && v.is_string()) {
      auto node = static_cast<uint32_t>(state);
      if ((nodes_.IsString(node) || nodes_.IsNull(node)) &&
          nodes_.MaybePrefix(node, PrefixesOf(seen))) {
        return false;
      }
    }
    for (uint32_t producer : ProducersOf(read)) {
      if (!linearized[producer]) return false;
    }
    return true;
  }

  uint64_t EffectKey(uint32_t i) const override {
    const Compiled& c = ops_[i];
    return (static_cast<uint64_t>(c.kind) << 62) | (static_cast<uint64_t>(c.a) << 31) | c.b;
  }

  Json Describe(State state) const override { return nodes_.Value(static_cast<uint32_t>(state)); }

 private:
  enum class Kind : uint8_t { kRead, kWrite, kCas, kAppend };
  struct Compiled {
    Kind kind;
    uint32_t a = 0;  // read/cas: the value compared; write: the node written; append: the piece
    uint32_t b = 0;  // cas: the node written
  };

  const std::vector<uint64_t>& PrefixesOf(uint32_t value) const {
    auto it = prefixes_.find(value);
    if (it == prefixes_.end()) {
      it = prefixes_.emplace(value, StringNodes::PrefixHashes(values_.Get(value))).first;
    }
    return it->second;
  }
  // The ops that install a value from which the read's value is reachable.
  const std::vector<uint32_t>& ProducersOf(uint32_t read) const {
    auto it = producers_.find(read);
    if (it != producers_.end()) return it->second;
    const Json& v = values_.Get(ops_[read].a);
    std::vector<uint32_t> producers;
    for (uint32_t i = 0; i < ops_.size(); ++i) {
      const Compiled& c = ops_[i];
      if (c.kind != Kind::kWrite && c.kind != Kind::kCas) continue;
      uint32_t node = c.kind == Kind::kWrite ? c.a : c.b;
      const Json& p = nodes_.Value(node);
      bool extends = appends_ && p.is_string() && v.is_string() &&
                     v.get_ref<const std::string&>().starts_with(p.get_ref<const std::string&>());
      if (p == v || extends) producers.push_back(i);
    }
    return producers_.emplace(read, std::move(producers)).first->second;
  }

  std::string_view name() const {
    switch (kind_) {
      case RegisterKind::kRegister:
        return "register";
      case RegisterKind::kCasRegister:
        return "cas-register";
      case RegisterKind::kKv:
        return "kv";
      case RegisterKind::kStringKv:
        return "string-kv";
    }
    return "register";
  }
  std::string expected() const {
    switch (kind_) {
      case RegisterKind::kRegister:
        return "read, write";
      case RegisterKind::kCasRegister:
      case RegisterKind::kKv:
        return "read, write, cas";
      case RegisterKind::kStringKv:
        return "read/get, write/put, cas, append";
    }
    return "";
  }

  RegisterKind kind_;
  bool nil_read_any_;
  ValueTable values_;
  StringNodes nodes_;
  uint32_t initial_;
  bool appends_ = false;
  // Caches for Unreachable(), filled on first use (all ops are compiled by then).
  mutable std::unordered_map<uint32_t, std::vector<uint64_t>> prefixes_;   // value -> hashes
  mutable std::unordered_map<uint32_t, std::vector<uint32_t>> producers_;  // read -> ops
  std::vector<Compiled> ops_;
};

}  // namespace

std::unique_ptr<Model> MakeRegister(RegisterKind kind, const ModelOptions& options) {
  return std::make_unique<RegisterModel>(kind, options);
}

}  // namespace jepsen::checker::linearizable
