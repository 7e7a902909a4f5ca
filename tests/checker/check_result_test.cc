// The result codec: every kind of result a check returns reads back from its
// JSON exactly (typed and as text), the keys results.json and `jepsen-check
// --json` show are pinned so that drift is caught, and a damaged result is an
// error naming the field.
#include "checker/check_result.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "checker/checker.h"
#include "history/jsonl.h"

namespace jepsen::checker {
namespace {

using history::Json;

history::History Parse(const std::string& text) {
  Result<history::History> h = history::ParseJsonl(text, "h.jsonl");
  EXPECT_TRUE(h.ok()) << h.message();
  return h.ok() ? std::move(h).value() : history::History{};
}

std::vector<CheckResult> Checked(const std::string& text, CheckOptions options = {}) {
  Result<std::vector<CheckResult>> r = CheckHistory(Parse(text), options);
  EXPECT_TRUE(r.ok()) << r.message();
  return r.ok() ? std::move(r).value() : std::vector<CheckResult>{};
}

// Two holders of lock r: client 0 acquires and renews (a further op the
// explanation names), a kill strikes, and client 1 is granted the lease while
// client 0's still runs. A run's history (its header names a nemesis), so the
// stats check follows.
const std::string kLeases =
    R"({"format":"jepsen-history/1","workload":"leases","nemesis":"kill",)"
    R"("options":{"concurrency":2}})"
    "\n"
    R"({"type":"invoke","process":0,"f":"acquire","key":"r","value":{"ttl_ms":1000},"time":0})"
    "\n"
    R"({"type":"ok","process":0,"f":"acquire","key":"r","value":{"token":1},"time":1000000})"
    "\n"
    R"({"type":"info","process":"nemesis","f":"kill","value":["n1"],"time":100000000})"
    "\n"
    R"({"type":"invoke","process":0,"f":"renew","key":"r","value":{"token":1,"ttl_ms":1000},)"
    R"("time":150000000})"
    "\n"
    R"({"type":"ok","process":0,"f":"renew","key":"r","value":{"token":1,"ttl_ms":1000},)"
    R"("time":160000000})"
    "\n"
    R"({"type":"invoke","process":1,"f":"acquire","key":"r","value":{"ttl_ms":1000},)"
    R"("time":200000000})"
    "\n"
    R"({"type":"ok","process":1,"f":"acquire","key":"r","value":{"token":2},"time":300000000})"
    "\n";

// Checkpoint 7 acknowledged, a kill and a restart, then a read of 5.
const std::string kCheckpoints =
    R"({"format":"jepsen-history/1","workload":"checkpoints"})"
    "\n"
    R"({"type":"invoke","process":0,"f":"checkpoint","key":"s","value":{"seq":7},"time":100})"
    "\n"
    R"({"type":"ok","process":0,"f":"checkpoint","key":"s","value":{"seq":7},"time":200})"
    "\n"
    R"({"type":"info","process":"nemesis","f":"kill","value":["n1"],"time":250})"
    "\n"
    R"({"type":"info","process":"nemesis","f":"start","value":["n1"],"time":260})"
    "\n"
    R"({"type":"invoke","process":1,"f":"read","key":"s","time":300})"
    "\n"
    R"({"type":"ok","process":1,"f":"read","key":"s","value":{"seq":5},"time":400})"
    "\n";

// A write of 2 that never completed was seen, then 1 again: a stale read.
const std::string kRegister =
    R"({"format":"jepsen-history/1","workload":"register"})"
    "\n"
    R"({"type":"invoke","process":0,"f":"write","key":"x","value":1,"time":10})"
    "\n"
    R"({"type":"ok","process":0,"f":"write","key":"x","value":1,"time":20})"
    "\n"
    R"({"type":"invoke","process":1,"f":"write","key":"x","value":2,"time":30})"
    "\n"
    R"({"type":"invoke","process":3,"f":"read","key":"x","time":60})"
    "\n"
    R"({"type":"ok","process":3,"f":"read","key":"x","value":2,"time":70})"
    "\n"
    R"({"type":"invoke","process":4,"f":"read","key":"x","time":80})"
    "\n"
    R"({"type":"ok","process":4,"f":"read","key":"x","value":1,"time":90})"
    "\n";

std::set<std::string> Keys(const Json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

using K = std::set<std::string>;
const K kCheckKeys = {"checker", "verdict", "summary", "explanation", "details"};
const K kOpKeys = {"op", "process", "thread", "f", "key", "value", "type", "invoke", "complete"};
const K kEventKeys = {"index", "line", "time"};

void ExpectReadsBack(const CheckResult& r) {
  SCOPED_TRACE(r.checker);
  const Json json = ToJson(r);
  Result<CheckResult> back = CheckResultFromJson(json, "check");
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_EQ(*back, r);
  EXPECT_EQ(ToJson(*back), json);
  // Through text, as results.json is read from disk: integers come back unsigned.
  Result<CheckResult> text = CheckResultFromJson(Json::parse(json.dump()), "check");
  ASSERT_TRUE(text.ok()) << text.message();
  EXPECT_EQ(*text, r);
}

TEST(CheckResultCodec, EveryKindOfResultReadsBackExactly) {
  std::vector<CheckResult> all = Checked(kLeases);
  for (const std::string& text : {kCheckpoints, kRegister}) {
    for (CheckResult& r : Checked(text)) all.push_back(std::move(r));
  }
  // Unknown: no ops; out of time.
  for (CheckResult& r : Checked(R"({"format":"jepsen-history/1","workload":"leases"})"
                                "\n")) {
    all.push_back(std::move(r));
  }
  CheckResult interrupted;
  interrupted.checker = "run";
  interrupted.verdict = Verdict::kUnknown;
  interrupted.facts = {{"interrupted_by", "SIGINT"}};
  all.push_back(interrupted);
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0].checker, "leases");
  EXPECT_FALSE(all[0].violations.empty());
  EXPECT_EQ(all[1].checker, "stats");
  EXPECT_FALSE(all[2].violations.empty());
  EXPECT_TRUE(all[3].failure.has_value());
  EXPECT_EQ(all[4].reason, "no client operations");
  for (const CheckResult& r : all) ExpectReadsBack(r);
  EXPECT_EQ(CheckResultsFromJson(ToJson(all), "checks").value(), all);
}

TEST(CheckResultCodec, PinsTheKeysOfALeaseResult) {
  const Json check = ToJson(Checked(kLeases).at(0));
  EXPECT_EQ(Keys(check), kCheckKeys);
  const Json& details = check["details"];
  EXPECT_EQ(Keys(details), (K{"resources", "ops", "grants", "drift", "resources_with_reads_checked",
                              "resource_outcome", "timelines", "resource_timelines", "valid",
                              "count", "counts", "reported", "violations"}));
  EXPECT_EQ(Keys(details["counts"]), (K{"L1", "L2", "L3", "L4"}));
  EXPECT_EQ(Keys(details["timelines"][0]), (K{"key", "holders", "fenced", "overlaps"}));
  const Json& v = details["violations"][0];
  EXPECT_EQ(Keys(v),
            (K{"kind", "title", "key", "headline", "text", "cycle", "ops", "steps", "nemesis"}));
  EXPECT_EQ(v["kind"], "L1");
  ASSERT_EQ(v["ops"].size(), 3u) << "the two acquires, then the renew the reasons name";
  EXPECT_EQ(Keys(v["ops"][0]), kOpKeys);
  EXPECT_EQ(Keys(v["ops"][0]["invoke"]), kEventKeys);
  EXPECT_EQ(Keys(v["ops"][0]["complete"]), kEventKeys);
  EXPECT_EQ(Keys(v["steps"][0]), (K{"op", "index", "reason", "edge", "next"}));
  ASSERT_EQ(v["nemesis"].size(), 1u);
  EXPECT_EQ(Keys(v["nemesis"][0]), (K{"f", "value", "time", "index", "line"}));
}

TEST(CheckResultCodec, PinsTheKeysOfACheckpointResult) {
  const Json check = ToJson(Checked(kCheckpoints).at(0));
  EXPECT_EQ(Keys(check), kCheckKeys);
  const Json& details = check["details"];
  EXPECT_EQ(Keys(details), (K{"streams", "ops", "checkpoints", "ok_reads", "timelines", "valid",
                              "count", "counts", "reported", "violations"}));
  EXPECT_EQ(Keys(details["timelines"][0]), (K{"key", "acked", "checkpoints", "reads", "lost"}));
  EXPECT_EQ(Keys(details["counts"]), (K{"C1", "C2", "C3", "C4"}));
  const Json& v = details["violations"][0];
  EXPECT_EQ(v["kind"], "C1");
  EXPECT_EQ(Keys(v),
            (K{"kind", "title", "key", "headline", "text", "cycle", "ops", "steps", "nemesis"}));
  K op = kOpKeys;
  op.erase("thread");  // the header gives no concurrency
  EXPECT_EQ(Keys(v["ops"][0]), op);
  EXPECT_EQ(v["nemesis"].size(), 2u);
}

TEST(CheckResultCodec, PinsTheKeysOfALinearizabilityResult) {
  const Json check = ToJson(Checked(kRegister).at(0));
  EXPECT_EQ(Keys(check), kCheckKeys);
  const Json& details = check["details"];
  EXPECT_EQ(Keys(details), (K{"model", "partitions", "ops", "configurations", "valid", "failure"}));
  const Json& failure = details["failure"];
  EXPECT_EQ(Keys(failure), (K{"key", "op", "state", "prefix_length", "prefix_indices",
                              "prefix_tail", "concurrent"}));
  K op = kOpKeys;
  op.erase("thread");
  EXPECT_EQ(Keys(failure["op"]), op);
  op.erase("complete");  // the write of 2 never completed
  ASSERT_EQ(failure["concurrent"].size(), 1u);
  EXPECT_EQ(Keys(failure["concurrent"][0]), op);
  // Unknown: the reason instead of a failure.
  CheckOptions tight;
  tight.budget.time_limit_seconds = 1e-9;
  const Json unknown = ToJson(Checked(kRegister, tight).at(0));
  EXPECT_EQ(unknown["verdict"], "unknown");
  EXPECT_EQ(Keys(unknown["details"]),
            (K{"model", "partitions", "ops", "configurations", "valid", "reason"}));
}

// Ops in a failure say where they are among the history's ops, as the
// violations' ops do (the report finds them by it).
TEST(CheckResultCodec, FailureOpsNameTheirPositionAmongTheOps) {
  const history::History h = Parse(kRegister);
  const CheckResult r = Checked(kRegister).at(0);
  ASSERT_TRUE(r.failure.has_value());
  const Json failure = DetailsJson(r)["failure"];
  EXPECT_EQ(failure["op"]["op"], 3);
  EXPECT_EQ(h.invocation(h.ops[3]).index, failure["op"]["invoke"]["index"]);
  EXPECT_EQ(failure["concurrent"][0]["op"], 1);
  for (const Json& op : failure["prefix_tail"]) {
    EXPECT_EQ(h.invocation(h.ops[op["op"].get<size_t>()]).index, op["invoke"]["index"]);
  }
}

TEST(CheckResultCodec, EveryCheckSaysItsVerdictInItsDetails) {
  for (const CheckResult& r : Checked(kLeases)) {
    EXPECT_EQ(DetailsJson(r)["valid"], ToString(r.verdict)) << r.checker;
  }
}

TEST(CheckResultCodec, ADamagedResultIsAnErrorNamingTheField) {
  const Json good = ToJson(std::vector<CheckResult>{Checked(kLeases).at(0)});
  auto error = [&](const std::function<void(Json&)>& damage) {
    Json bad = good;
    damage(bad);
    Result<std::vector<CheckResult>> r = CheckResultsFromJson(bad, "results.json: checks");
    return r.ok() ? std::string("no error") : r.message();
  };
  EXPECT_EQ(
      error([](Json& j) { j[0]["details"]["violations"][0]["ops"][1]["invoke"]["time"] = "soon"; }),
      "results.json: checks[0].details.violations[0].ops[1].invoke.time: expected an "
      "integer, got \"soon\"");
  EXPECT_EQ(error([](Json& j) { j[0]["verdict"] = "maybe"; }),
            "results.json: checks[0].verdict: expected valid, invalid or unknown, got \"maybe\"");
  EXPECT_EQ(error([](Json& j) { j[0]["details"]["violations"][0].erase("steps"); }),
            "results.json: checks[0].details.violations[0].steps: missing");
  EXPECT_EQ(error([](Json& j) { j[0]["details"]["violations"][0]["ops"][0]["type"] = "invoke"; }),
            "results.json: checks[0].details.violations[0].ops[0].type: expected ok, fail or "
            "info, got \"invoke\"");
  EXPECT_EQ(error([](Json& j) { j[0]["details"]["count"] = 7; }),
            "results.json: checks[0].details.count: 7 disagrees with the rest of the check (1)");
  EXPECT_EQ(error([](Json& j) { j[0]["details"]["valid"] = "valid"; }),
            "results.json: checks[0].details.valid: \"valid\" disagrees with the rest of the "
            "check (\"invalid\")");
  EXPECT_EQ(error([](Json& j) { j[0]["details"]["counts"]["L1"] = -1; }),
            "results.json: checks[0].details.counts.L1: expected an integer >= 0, got -1");
  EXPECT_EQ(error([](Json& j) { j[0] = 3; }), "results.json: checks[0]: expected an object, got 3");
  EXPECT_EQ(error([](Json& j) { j = Json::object(); }),
            "results.json: checks: expected an array of checks");
}

}  // namespace
}  // namespace jepsen::checker
