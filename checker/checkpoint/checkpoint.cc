#include "checker/checkpoint/checkpoint.h"

#include "checker/checkpoint/explain.h"
#include "checker/checkpoint/invariants.h"
#include "checker/checkpoint/stream_ops.h"
#include "checker/checkpoint/timelines.h"
#include "checker/graph/parallel_for.h"
#include "checker/graph/report.h"

namespace jepsen::checker::checkpoint {

Result<CheckResult> Check(const history::History& history, const Options& options) {
  Result<StreamOps> parsed = ParseStreamOps(history);
  if (!parsed.ok()) return parsed.status();
  const StreamOps& ops = *parsed;
  const size_t n = ops.streams.size();
  std::vector<std::vector<Candidate>> per_stream(n);
  graph::ParallelFor(n, options.threads, [&](size_t i) {
    FindViolations(ops.streams[i], static_cast<uint32_t>(i), per_stream[i]);
  });

  std::vector<Candidate> all;
  std::vector<graph::Found> found;
  std::vector<std::pair<std::string, size_t>> counts = {{"C1", 0}, {"C2", 0}, {"C3", 0}, {"C4", 0}};
  size_t checkpoints = 0, reads = 0;
  for (size_t i = 0; i < n; ++i) {
    checkpoints += ops.streams[i].checkpoints.size();
    reads += ops.streams[i].reads.size();
    for (const Candidate& c : per_stream[i]) {
      const auto kind = static_cast<uint8_t>(KindOf(c.why));
      found.push_back({kind, c.time});
      ++counts[kind].second;
      all.push_back(c);
    }
  }
  std::vector<graph::Violation> explained;
  std::vector<Reported> reported;
  for (size_t i : graph::ChooseReported(found, options.max_reported)) {
    explained.push_back(Explain(history, ops, all[i]));
    const auto [from, to] = graph::OpsSpan(history, explained.back());
    reported.push_back({&all[i], from, to});
  }
  history::Json facts = {{"streams", n},
                         {"ops", ops.ops},
                         {"checkpoints", checkpoints},
                         {"ok_reads", reads},
                         {"timelines", SeqTimelines(ops, reported)}};
  return graph::ViolationResult(
      "checkpoints", history, explained, counts, std::move(facts),
      "C1-C4 hold (" + std::to_string(n) + (n == 1 ? " stream, " : " streams, ") +
          std::to_string(checkpoints) + " checkpoints, " + std::to_string(reads) + " reads)");
}

namespace {

Result<CheckResult> CheckRegistered(const CheckInput& in) {
  Options options;
  options.max_reported = static_cast<size_t>(in.options.Integer("max-violations"));
  options.threads = in.budget.threads;
  return Check(in.history, options);
}

}  // namespace

Checker Registration() {
  Checker c;
  c.name = "checkpoints";
  c.help = "checkpoint monotonicity, C1-C4";
  c.workloads = {"checkpoints"};
  c.options = {graph::MaxViolationsOption()};
  c.report_section = "cycles";
  c.check = CheckRegistered;
  return c;
}

}  // namespace jepsen::checker::checkpoint
