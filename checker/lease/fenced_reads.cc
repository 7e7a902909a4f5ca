#include "checker/lease/fenced_reads.h"

#include <algorithm>

#include "checker/linearizable/linearizable.h"

namespace jepsen::checker::lease {

using history::Event;
using history::History;
using history::Json;

History SubHistory(const History& history, const std::vector<uint32_t>& ops) {
  History sub;
  sub.source = history.source;
  sub.has_time = history.has_time;
  sub.events.reserve(ops.size() * 2);
  sub.ops.reserve(ops.size());
  // Copies what the check reads: metadata (key, node, error, extra) plays no
  // part, and copying JSON values is most of the cost on big histories.
  auto copy = [&](const Event& e, bool with_value) {
    Event& c = sub.events.emplace_back();
    c.type = e.type;
    c.process = e.process;
    c.f = e.f;
    if (with_value) c.value = e.value;
    c.time = e.time;
    c.index = e.index;
    c.line = e.line;
    return static_cast<uint32_t>(sub.events.size() - 1);
  };
  for (uint32_t i : ops) {
    const history::Op& op = history.ops[i];
    // A failed op did not happen: the linearizability check drops it anyway.
    if (op.outcome == history::EventType::kFail) continue;
    const bool read = history.invocation(op).f != "write";
    history::Op o;
    o.outcome = op.outcome;
    // A write's effect is in its invocation, a read's observation in its completion.
    o.invoke = copy(history.invocation(op), !read);
    if (const Event* done = history.completion(op)) o.completion = copy(*done, read);
    sub.ops.push_back(o);
  }
  return sub;
}

Result<ReadCheck> CheckReads(const History& history, const Resource& resource,
                             double time_limit_seconds, size_t memory_limit_bytes) {
  History sub = SubHistory(history, resource.rw_ops);
  if (sub.ops.empty()) return ReadCheck{};
  linearizable::Options options;
  options.model = "fenced-register";
  options.threads = 1;  // the lease checker runs resources in parallel itself
  options.time_limit_seconds = time_limit_seconds;
  options.memory_limit_bytes = memory_limit_bytes;
  Result<CheckResult> result = linearizable::Check(sub, options);
  if (!result.ok()) return result.status();
  ReadCheck out;
  out.verdict = result->verdict;
  if (out.verdict == Verdict::kUnknown) {
    out.reason = result->reason.empty() ? "a budget ran out" : result->reason;
  } else if (out.verdict == Verdict::kInvalid) {
    const linearizable::Failure& failure = *result->failure;
    out.state = failure.state;
    // The sub-history keeps the file's event indices, which identify the op.
    const int64_t index = failure.op.invoke.index;
    auto it = std::lower_bound(
        resource.rw_ops.begin(), resource.rw_ops.end(), index,
        [&](uint32_t op, int64_t i) { return history.invocation(history.ops[op]).index < i; });
    out.blocked_op = it != resource.rw_ops.end() ? *it : resource.rw_ops.back();
  }
  return out;
}

}  // namespace jepsen::checker::lease
