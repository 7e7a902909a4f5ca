// A FIFO queue: enqueue(v); dequeue -> the oldest element. An ok dequeue whose
// value is null observed an empty queue; an indeterminate dequeue removes
// whatever is first. A state is the interned sequence of element ids.
#include "checker/linearizable/models.h"
#include "checker/linearizable/value_table.h"
#include "history/json_text.h"

namespace jepsen::checker::linearizable {
namespace {

class FifoQueueModel : public Model {
 public:
  explicit FifoQueueModel(const ModelOptions& options) {
    std::vector<uint32_t> initial;
    if (options.has_initial && options.initial.is_array()) {
      for (const Json& v : options.initial) initial.push_back(values_.Intern(v));
    }
    initial_ = states_.Intern(initial);
  }

  Status Add(const history::History& history, const history::Op& op) override {
    const std::string& f = history.invocation(op).f;
    Compiled c;
    if (f == "enqueue") {
      c.kind = Kind::kEnqueue;
      c.arg = values_.Intern(history.invocation(op).value);
    } else if (f == "dequeue") {
      const Json& seen = history.value(op);
      if (op.outcome != history::EventType::kOk) {
        c.kind = Kind::kDequeueAny;
      } else if (seen.is_null()) {
        c.kind = Kind::kEmpty;
      } else {
        c.kind = Kind::kDequeue;
        c.arg = values_.Intern(seen);
      }
    } else {
      return OpError(history, op, "fifo-queue",
                     "operation " + history::Quote(f) + " unknown (expected enqueue, dequeue)");
    }
    ops_.push_back(c);
    return Status();
  }

  State Initial() override { return initial_; }

  std::optional<State> Step(State state, uint32_t i) override {
    const Compiled& c = ops_[i];
    const std::vector<uint32_t>& queue = states_.Get(static_cast<uint32_t>(state));
    switch (c.kind) {
      case Kind::kEnqueue: {
        std::vector<uint32_t> next = queue;
        next.push_back(c.arg);
        return states_.Intern(next);
      }
      case Kind::kEmpty:
        if (queue.empty()) return state;
        return std::nullopt;
      case Kind::kDequeue:
      case Kind::kDequeueAny: {
        if (queue.empty() || (c.kind == Kind::kDequeue && queue.front() != c.arg)) {
          return std::nullopt;
        }
        return states_.Intern(std::vector<uint32_t>(queue.begin() + 1, queue.end()));
      }
    }
    return std::nullopt;
  }

  bool ReadOnly(uint32_t i) const override { return ops_[i].kind == Kind::kEmpty; }
  uint64_t EffectKey(uint32_t i) const override {
    return (static_cast<uint64_t>(ops_[i].kind) << 40) | ops_[i].arg;
  }
  Json Describe(State state) const override {
    Json out = Json::array();
    for (uint32_t id : states_.Get(static_cast<uint32_t>(state))) out.push_back(values_.Get(id));
    return out;
  }

 private:
  enum class Kind : uint8_t { kEnqueue, kDequeue, kDequeueAny, kEmpty };
  struct Compiled {
    Kind kind;
    uint32_t arg = 0;
  };
  ValueTable values_;
  SequenceTable states_;
  uint32_t initial_;
  std::vector<Compiled> ops_;
};

}  // namespace

std::unique_ptr<Model> MakeFifoQueue(const ModelOptions& options) {
  return std::make_unique<FifoQueueModel>(options);
}

}  // namespace jepsen::checker::linearizable
