#include "checker/checkpoint/stream_ops.h"

#include "checker/graph/int64_value.h"
#include "checker/graph/key_index.h"

namespace jepsen::checker::checkpoint {
namespace {

using history::Event;
using history::EventType;
using history::History;
using history::Json;

Status FieldError(const History& h, const Event& e, const std::string& field,
                  const std::string& what) {
  return Status::Error(h.where(e) + ": checkpoints checker: field '" + field + "' " + what);
}

// value.seq, which must be an int64; `what` names the op for the message.
Result<int64_t> Seq(const History& h, const Event& e, const std::string& what) {
  if (e.value.is_object()) {
    auto it = e.value.find("seq");
    if (it != e.value.end()) {
      if (std::optional<int64_t> seq = graph::AsInt64(*it)) return *seq;
      return FieldError(h, e, "value.seq",
                        "of " + what + " must be an integer in " + graph::kInt64Range + " (got " +
                            it->dump() + ")");
    }
  }
  return FieldError(
      h, e, "value.seq",
      "missing: " + what + " needs {\"seq\": N}" + (what == "a read" ? " or null" : ""));
}

}  // namespace

Result<StreamOps> ParseStreamOps(const History& history) {
  StreamOps out;
  graph::KeyIndex keys;
  for (uint32_t i = 0; i < history.ops.size(); ++i) {
    const history::Op& op = history.ops[i];
    const Event& invoke = history.invocation(op);
    ++out.ops;
    auto [index, inserted] = keys.Find(invoke.key);
    if (inserted) out.streams.emplace_back().key = invoke.key;
    Stream& s = out.streams[index];
    const Event* done = history.completion(op);
    if (invoke.f == "checkpoint") {
      Result<int64_t> seq = Seq(history, invoke, "a checkpoint");
      if (!seq.ok()) return seq.status();
      Checkpoint c{i, invoke.time, kNever, op.outcome, *seq};
      if (op.outcome != EventType::kInfo) c.complete = done->time;
      s.checkpoints.push_back(c);
    } else if (invoke.f == "read") {
      if (op.outcome != EventType::kOk) continue;
      Read r{i, true, invoke.time, done->time, 0};
      if (!done->value.is_null()) {
        Result<int64_t> seq = Seq(history, *done, "a read");
        if (!seq.ok()) return seq.status();
        r.null = false;
        r.seq = *seq;
      }
      s.reads.push_back(r);
    } else {
      return FieldError(
          history, invoke, "f",
          "'" + invoke.f + "' is not a checkpoint operation (expected checkpoint or read)");
    }
  }
  return out;
}

}  // namespace jepsen::checker::checkpoint
