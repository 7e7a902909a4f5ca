#include "checker/lease/lease.h"

#include <chrono>

#include "checker/graph/parallel_for.h"
#include "checker/graph/report.h"
#include "checker/lease/explain.h"
#include "checker/lease/fenced_reads.h"
#include "checker/lease/invariants.h"
#include "checker/lease/lease_ops.h"
#include "checker/lease/timelines.h"

namespace jepsen::checker::lease {
namespace {

using history::History;
using history::Json;

Result<double> ResolveDrift(const History& history, const Options& options) {
  if (options.drift) {
    if (!(*options.drift >= 0 && *options.drift < 1)) {
      return Status::Error("--drift must be a number in [0, 1), got " +
                           std::to_string(*options.drift));
    }
    return *options.drift;
  }
  const Json& drift = history.option("drift");
  if (drift.is_null()) return 0.01;
  if (!drift.is_number() || !(drift.get<double>() >= 0 && drift.get<double>() < 1)) {
    return Status::Error(history.source +
                         ": header field 'options.drift' must be a number in "
                         "[0, 1), got " +
                         drift.dump());
  }
  return drift.get<double>();
}

Result<double> DefaultTtl(const History& history) {
  const Json& ttl = history.option("ttl_ms");
  if (ttl.is_null()) return -1.0;
  if (!ttl.is_number() || !(ttl.get<double>() >= 0)) {
    return Status::Error(history.source +
                         ": header field 'options.ttl_ms' must be a non-negative number, got " +
                         ttl.dump());
  }
  return ttl.get<double>();
}

// What one resource's check found.
struct Outcome {
  std::vector<Candidate> found;
  Status error;
  std::string unknown;  // a budget ran out in the read check
  bool reads_checked = false;
};

using SteadyClock = std::chrono::steady_clock;

// Resource `i`'s check: its state and L1-L4 sweep, then, when it has reads,
// the L3 read check against what time is left before `deadline`.
Outcome CheckResource(const History& history, const Resource& r, uint32_t i, const Clock& clock,
                      const Options& options, SteadyClock::time_point deadline,
                      ResourceState& state) {
  Outcome out;
  state = Analyze(r, clock);
  size_t stale_writes = 0;
  FindViolations(r, state, clock, i, out.found, stale_writes);
  if (r.ok_reads == 0) return out;
  double seconds = 0;
  if (options.time_limit_seconds > 0) {
    seconds = std::chrono::duration<double>(deadline - SteadyClock::now()).count();
    if (seconds <= 0) {
      out.unknown = "time limit reached";
      return out;
    }
  }
  Result<ReadCheck> reads = CheckReads(history, r, seconds, options.memory_limit_bytes);
  if (!reads.ok()) {
    out.error = reads.status();
    return out;
  }
  out.reads_checked = true;
  if (reads->verdict == Verdict::kUnknown) out.unknown = reads->reason;
  if (reads->verdict != Verdict::kInvalid) return out;
  // A write the model cannot place is an L3 write violation, already
  // counted when the sweep found one on this resource.
  const bool is_read = history.invocation(history.ops[reads->blocked_op]).f == "read";
  if (!is_read && stale_writes > 0) return out;
  Candidate c{Why::kStaleRead, i, reads->blocked_op};
  c.time = history.invocation(history.ops[reads->blocked_op]).time;
  c.note = reads->state.dump();
  out.found.push_back(std::move(c));
  return out;
}

// What the violations mean for the resources the leases guard: "corrupted"
// when storage fencing failed (L3: a stale token's write accepted, or a read
// no fenced order explains); "protected by fencing" when exclusivity broke
// (L1, L2 or L4) but fenced writes were checked and held; "unfenced" when it
// broke with no fenced writes to tell; "intact" when nothing broke.
std::string ResourceOutcome(const std::vector<std::pair<std::string, size_t>>& counts,
                            const LeaseOps& ops) {
  size_t broken = 0, fenced_writes = 0;
  for (const auto& [kind, n] : counts) {
    if (kind == "L3" && n > 0) return "corrupted";
    broken += n;
  }
  for (const Resource& r : ops.resources) fenced_writes += r.writes.size();
  if (broken == 0) return "intact";
  return fenced_writes > 0 ? "protected by fencing" : "unfenced";
}

// The result from what the resources' checks found: the violations chosen
// for reporting, explained, and unknown if a read check ran out of budget.
CheckResult Report(const History& history, const LeaseOps& ops,
                   const std::vector<ResourceState>& states, const Clock& clock,
                   const Options& options, std::vector<Candidate> all, const std::string& unknown,
                   size_t reads_checked) {
  std::vector<graph::Found> found;
  found.reserve(all.size());
  std::vector<std::pair<std::string, size_t>> counts = {{"L1", 0}, {"L2", 0}, {"L3", 0}, {"L4", 0}};
  for (const Candidate& c : all) {
    const auto kind = static_cast<uint8_t>(KindOf(c.why));
    found.push_back({kind, c.time});
    ++counts[kind].second;
  }
  const std::vector<ClockChange> clocks = ClockChanges(history);
  LeaseContext context{&history, &ops, &states, clock, &clocks};
  std::vector<graph::Violation> explained;
  std::vector<Reported> reported;
  for (size_t i : graph::ChooseReported(found, options.max_reported)) {
    explained.push_back(Explain(context, all[i]));
    const auto [from, to] = graph::OpsSpan(history, explained.back());
    reported.push_back({&all[i], from, to});
  }
  const size_t n = ops.resources.size();
  size_t grants = 0;
  for (const Resource& r : ops.resources) grants += r.grants.size();
  const std::string outcome = ResourceOutcome(counts, ops);
  Json facts = {{"resources", n},
                {"ops", ops.ops},
                {"grants", grants},
                {"drift", clock.drift},
                {"resources_with_reads_checked", reads_checked},
                {"resource_outcome", outcome},
                {"timelines", HoldTimelines(history, ops, states, reported)},
                {"resource_timelines", EveryTimeline(history, ops, states)}};
  CheckResult result = graph::ViolationResult(
      "leases", history, explained, counts, std::move(facts),
      "L1-L4 hold (" + std::to_string(n) + (n == 1 ? " resource, " : " resources, ") +
          std::to_string(grants) + " grants, drift " + Json(clock.drift).dump() + ")");
  if (outcome == "corrupted") {
    result.summary += "; resource corrupted: fencing did not hold";
  } else if (outcome == "protected by fencing") {
    result.summary += "; exclusivity broken, resource protected by fencing";
  } else if (outcome == "unfenced") {
    result.summary += "; exclusivity broken (no fenced writes to protect the resource)";
  }
  if (result.verdict == Verdict::kValid && !unknown.empty()) {
    result.verdict = Verdict::kUnknown;
    result.summary = "unknown: " + unknown + " before the L3 read checks finished";
    result.reason = unknown;
  }
  return result;
}

}  // namespace

Result<CheckResult> Check(const History& history, const Options& options) {
  Result<double> drift = ResolveDrift(history, options);
  if (!drift.ok()) return drift.status();
  Result<double> default_ttl = DefaultTtl(history);
  if (!default_ttl.ok()) return default_ttl.status();
  Result<LeaseOps> parsed = ParseLeaseOps(history, *default_ttl);
  if (!parsed.ok()) return parsed.status();
  const LeaseOps& ops = *parsed;
  // Without clock times, times are line numbers: only their order counts.
  const Clock clock{*drift, history.has_time};

  const auto deadline =
      SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                               std::chrono::duration<double>(options.time_limit_seconds));
  const size_t n = ops.resources.size();
  std::vector<ResourceState> states(n);
  std::vector<Outcome> outcomes(n);
  graph::ParallelFor(n, options.threads, [&](size_t i) {
    outcomes[i] = CheckResource(history, ops.resources[i], static_cast<uint32_t>(i), clock, options,
                                deadline, states[i]);
  });

  std::vector<Candidate> all;
  std::string unknown;
  size_t reads_checked = 0;
  for (Outcome& out : outcomes) {
    if (!out.error.ok()) return out.error;
    if (unknown.empty()) unknown = out.unknown;
    reads_checked += out.reads_checked;
    for (Candidate& c : out.found) all.push_back(std::move(c));
  }
  return Report(history, ops, states, clock, options, std::move(all), unknown, reads_checked);
}

namespace {

Result<CheckResult> CheckRegistered(const CheckInput& in) {
  Options options;
  if (const Json& drift = in.options.Get("drift"); !drift.is_null()) {
    options.drift = drift.get<double>();
  }
  options.max_reported = static_cast<size_t>(in.options.Integer("max-violations"));
  options.time_limit_seconds = in.budget.time_limit_seconds;
  options.memory_limit_bytes = in.budget.memory_limit_bytes;
  options.threads = in.budget.threads;
  return Check(in.history, options);
}

options::Option DriftOption() {
  options::Option drift =
      options::Number("drift", 0, {0, 1, false, true},
                      "Leases: clock drift bound; holds last ttl*(1-drift) (default: the "
                      "header's options.drift, else 0.01)");
  drift.fallback = Json();  // unset: the header's, else 0.01
  return drift;
}

}  // namespace

Checker Registration() {
  Checker c;
  c.name = "leases";
  c.help = "lease exclusivity, L1-L4";
  c.workloads = {"leases"};
  c.options = {DriftOption(), graph::MaxViolationsOption()};
  c.report_section = "cycles";
  c.check = CheckRegistered;
  return c;
}

}  // namespace jepsen::checker::lease
