// Lease exclusivity (L1-L4): for every invariant, histories that break it
// (invalid, naming the kind) and close calls that keep it (valid).
#include <gtest/gtest.h>

#include <map>

#include "checker/lease/lease.h"
#include "tests/support/history_maker.h"

namespace jepsen::checker::lease {
namespace {

using history::EventType;
using history::Json;
using testing::MakeHistory;
using testing::TestNemesis;
using testing::TestOp;

constexpr EventType kOk = EventType::kOk;
constexpr EventType kFail = EventType::kFail;
constexpr EventType kInfo = EventType::kInfo;

constexpr int64_t kMs = 1'000'000;  // ns

// Times in the helpers are in ms; `ret` < 0 with kInfo: never completed.
int64_t Ns(double ms) { return static_cast<int64_t>(ms * kMs); }

TestOp Acquire(int64_t p, double call, double ret, int64_t token, double ttl = 1000,
               EventType outcome = kOk, Json key = "x") {
  return {
      p,       "acquire", Json{{"ttl_ms", ttl}},  outcome == kOk ? Json{{"token", token}} : Json(),
      outcome, Ns(call),  ret < 0 ? -1 : Ns(ret), key};
}
TestOp Renew(int64_t p, double call, double ret, int64_t token, double ttl = 1000,
             EventType outcome = kOk, Json key = "x") {
  return {p,
          "renew",
          Json{{"token", token}, {"ttl_ms", ttl}},
          nullptr,
          outcome,
          Ns(call),
          ret < 0 ? -1 : Ns(ret),
          key};
}
TestOp Release(int64_t p, double call, double ret, int64_t token, EventType outcome = kOk,
               Json key = "x") {
  return {p,       "release", Json{{"token", token}}, nullptr,
          outcome, Ns(call),  ret < 0 ? -1 : Ns(ret), key};
}
TestOp Write(int64_t p, double call, double ret, int64_t token, Json value, EventType outcome = kOk,
             Json key = "x") {
  return {p,
          "write",
          Json{{"token", token}, {"value", value}},
          nullptr,
          outcome,
          Ns(call),
          ret < 0 ? -1 : Ns(ret),
          key};
}
TestOp Read(int64_t p, double call, double ret, Json seen, Json key = "x") {
  return {p, "read", nullptr, seen, kOk, Ns(call), Ns(ret), key};
}
Json Seen(int64_t token, Json value) { return Json{{"token", token}, {"value", value}}; }

Json Header(std::optional<double> drift = std::nullopt) {
  Json h = {{"format", "jepsen-history/1"}, {"workload", "leases"}};
  if (drift) h["options"] = {{"drift", *drift}};
  return h;
}

CheckResult Checked(const std::vector<TestOp>& ops, Options options = {},
                    const std::vector<TestNemesis>& nemesis = {}, Json header = Header()) {
  history::History h = MakeHistory(ops, nemesis, header);
  Result<CheckResult> r = Check(h, options);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.message());
  return r.ok() ? r.value() : CheckResult{};
}

// The kinds found, with their counts: {} when valid.
std::map<std::string, int> Kinds(const CheckResult& r) {
  std::map<std::string, int> out;
  for (const auto& [kind, count] : r.counts) {
    if (count > 0) out[kind] = static_cast<int>(count);
  }
  return out;
}
using K = std::map<std::string, int>;

// Without clock times, times are line numbers: only the order of events
// counts, no ttl is measured, and no lease is ever taken to have run out.
history::History Untimed(const std::vector<TestOp>& ops) {
  return testing::WithoutTimes(MakeHistory(ops, {}, Header()));
}
std::map<std::string, int> UntimedKinds(const std::vector<TestOp>& ops) {
  Result<CheckResult> r = Check(Untimed(ops), {});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.message());
  return r.ok() ? Kinds(*r) : std::map<std::string, int>{{"error", 1}};
}

// --- What the violations mean for the resource ----------------------------

// Exclusivity broken while fencing held, storage fencing broken, exclusivity broken with no
// fenced writes to tell, and nothing broken: four outcomes told apart in the summary and in the
// details (results.json) — a clock fault that double-grants is a different finding from a
// resource that took a stale holder's write.
TEST(LeaseOutcome, TellsAResourceProtectedByFencingFromACorruptedOne) {
  CheckResult protected_ = Checked({Acquire(0, 0, 1, 1), Acquire(1, 500, 501, 2),
                                    Write(1, 502, 503, 2, "b"), Write(0, 504, 505, 1, "a", kFail)});
  EXPECT_EQ(Kinds(protected_), (K{{"L1", 1}}));
  EXPECT_EQ(DetailsJson(protected_)["resource_outcome"], "protected by fencing");
  EXPECT_NE(protected_.summary.find("exclusivity broken, resource protected by fencing"),
            std::string::npos)
      << protected_.summary;

  CheckResult corrupted = Checked({Acquire(0, 0, 1, 1), Acquire(1, 500, 501, 2),
                                   Write(1, 502, 503, 2, "b"), Write(0, 504, 505, 1, "a")});
  EXPECT_EQ(Kinds(corrupted).count("L3"), 1u);
  EXPECT_EQ(DetailsJson(corrupted)["resource_outcome"], "corrupted");
  EXPECT_NE(corrupted.summary.find("resource corrupted"), std::string::npos) << corrupted.summary;

  CheckResult unfenced = Checked({Acquire(0, 0, 1, 1), Acquire(1, 500, 501, 2)});
  EXPECT_EQ(DetailsJson(unfenced)["resource_outcome"], "unfenced");

  CheckResult intact = Checked({Acquire(0, 0, 1, 1), Write(0, 2, 3, 1, "a")});
  EXPECT_EQ(intact.verdict, Verdict::kValid);
  EXPECT_EQ(DetailsJson(intact)["resource_outcome"], "intact");
  EXPECT_EQ(intact.summary.find("protected"), std::string::npos) << intact.summary;
}

// --- What reports draw --------------------------------------------------------

// details.timelines: the hold windows exactly as the checker computed them (a renew extends a
// window, a release cuts it), the fenced ops with their tokens and outcomes, and the reported
// overlap, for the resources in violations only (issue 15: reports draw them, not recompute them),
// and of those only the holders and fenced ops near a violation.
TEST(LeaseTimelines, CarryTheCheckersWindowsAndTheOverlapOfResourcesInViolations) {
  CheckResult r = Checked({Acquire(0, 0, 1, 1), Renew(0, 500, 501, 1), Acquire(1, 1200, 1201, 2),
                           Write(1, 1250, 1251, 2, "b"), Write(0, 1260, 1261, 1, "a", kFail),
                           Release(1, 1300, 1301, 2), Acquire(2, 0, 1, 1, 1000, kOk, "y"),
                           Acquire(3, 9000, 9001, 3), Write(3, 9002, 9003, 3, "c")});
  ASSERT_EQ(Kinds(r), (K{{"L1", 1}}));
  const Json timelines = DetailsJson(r)["timelines"];
  ASSERT_EQ(timelines.size(), 1u) << "resource y broke nothing";
  const Json& t = timelines[0];
  EXPECT_EQ(t["key"], "x");
  ASSERT_EQ(t["holders"].size(), 2u) << "token 3, at 9 s, is far from the overlap";
  const Json& first = t["holders"][0];
  EXPECT_EQ(first["token"], 1);
  EXPECT_EQ(first["process"], 0);
  ASSERT_EQ(first["windows"].size(), 1u);
  EXPECT_EQ(first["windows"][0]["start"], Ns(1)) << "from the acquire's completion";
  EXPECT_EQ(first["windows"][0]["end"], Ns(500 + 990)) << "the renew's invocation + ttl*(1-drift)";
  EXPECT_FALSE(first["windows"][0]["released"].get<bool>());
  const Json& second = t["holders"][1];
  EXPECT_EQ(second["token"], 2);
  EXPECT_EQ(second["windows"][0]["start"], Ns(1201));
  EXPECT_EQ(second["windows"][0]["end"], Ns(1300)) << "cut by the release's invocation";
  EXPECT_TRUE(second["windows"][0]["released"].get<bool>());
  ASSERT_EQ(t["overlaps"].size(), 1u);
  EXPECT_EQ(t["overlaps"][0]["a"], 0);
  EXPECT_EQ(t["overlaps"][0]["b"], 1);
  EXPECT_EQ(t["overlaps"][0]["from"], Ns(1201));
  EXPECT_EQ(t["overlaps"][0]["to"], Ns(1300));
  ASSERT_EQ(t["fenced"].size(), 2u) << "token 3's write is far from it too";
  EXPECT_EQ(t["fenced"][0]["token"], 2);
  EXPECT_EQ(t["fenced"][0]["outcome"], "ok");
  EXPECT_EQ(t["fenced"][1]["token"], 1);
  EXPECT_EQ(t["fenced"][1]["outcome"], "fail") << "refused";

  EXPECT_EQ(DetailsJson(Checked({Acquire(0, 0, 1, 1)}))["timelines"], Json::array());

  // Every resource's whole timeline, for drawing any of them on demand: y too, and token 3 at 9 s.
  const Json every = DetailsJson(r)["resource_timelines"];
  ASSERT_EQ(every.size(), 2u);
  EXPECT_EQ(every[0]["key"], "x");
  EXPECT_EQ(every[0]["holders"].size(), 3u) << "far from the overlap or not, every holder";
  EXPECT_EQ(every[0]["fenced"].size(), 3u);
  EXPECT_EQ(every[0]["overlaps"], Json::array()) << "overlaps are the violations' own";
  EXPECT_EQ(every[1]["key"], "y");
  EXPECT_EQ(every[1]["holders"].size(), 1u);
}

// --- L1 mutual exclusion ---------------------------------------------------

TEST(LeaseL1, OverlappingHoldersAreInvalidAndExplainedAsACycle) {
  CheckResult r = Checked({Acquire(0, 0, 1, 1), Acquire(1, 500, 501, 2)});
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(Kinds(r), (K{{"L1", 1}}));
  const Json v = DetailsJson(r)["violations"][0];
  EXPECT_EQ(v["kind"], "L1");
  EXPECT_EQ(v["key"], "x");
  EXPECT_TRUE(v["cycle"].get<bool>());
  ASSERT_EQ(v["steps"].size(), 2u);
  EXPECT_EQ(v["steps"][0]["edge"], "lease");
  EXPECT_NE(r.explanation.find("process 0 (token 1) and process 1 (token 2) both held the lease "
                               "from 0.501 s to 0.990 s"),
            std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("acquire invoked at 0.000 s + 1000 ms * (1 - 0.01)"),
            std::string::npos)
      << r.explanation;
}

// nemesis=clock records the clock each of its events left on each node: an explanation names
// the nodes whose clock was not real time while the violation unfolded, and no other.
TEST(LeaseL1, TheExplanationSaysWhichNodesClockWasSkewedAtThatTime) {
  const std::vector<TestOp> ops = {Acquire(0, 100, 101, 1), Acquire(1, 600, 601, 2)};
  auto skew = [](double ms, Json clocks) {
    return TestNemesis{Ns(ms), "clock-skew", Json{{"nodes", {"n1"}}, {"clocks", clocks}}};
  };
  const Json fast = {{"n1", {{"offset_s", 0.25}, {"rate", 4}}}};
  const Json real = {{"n1", {{"offset_s", 0}, {"rate", 1}}}};
  CheckResult before = Checked(ops, {}, {skew(50, fast)});
  EXPECT_NE(before.explanation.find("n1's clock (x4 since 0.050 s, +0.250 s off real time then) "
                                    "was skewed at that time"),
            std::string::npos)
      << before.explanation;
  CheckResult during = Checked(ops, {}, {skew(300, {{"n2", {{"offset_s", -5}, {"rate", 1}}}})});
  EXPECT_NE(during.explanation.find("n2's clock (-5.000 s off real time since 0.300 s) was skewed"),
            std::string::npos)
      << during.explanation;
  // The final heal's value lists what each package healed.
  CheckResult healed =
      Checked(ops, {}, {skew(10, fast), {Ns(20), "heal", Json::array({Json{{"clocks", real}}})}});
  EXPECT_EQ(Kinds(healed), (K{{"L1", 1}}));
  EXPECT_EQ(healed.explanation.find("clock"), std::string::npos) << healed.explanation;
}

TEST(LeaseL1, TouchingHoldsAreValid) {
  // A holds until 0 + 1000 * 0.99 = 990 ms; B's hold begins exactly then.
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1), Acquire(1, 980, 990, 2)}).verdict, Verdict::kValid);
  EXPECT_EQ(Kinds(Checked({Acquire(0, 0, 1, 1), Acquire(1, 980, 989.999999, 2)})), (K{{"L1", 1}}));
}

TEST(LeaseL1, DriftJustInsideAndJustOutsideTheBound) {
  // B's hold begins at 985 ms. With drift 0.02, A's ends at 980 ms: fine.
  const std::vector<TestOp> ops = {Acquire(0, 0, 1, 1), Acquire(1, 900, 985, 2)};
  EXPECT_EQ(Checked(ops, {}, {}, Header(0.02)).verdict, Verdict::kValid);
  EXPECT_EQ(Checked(ops, {}, {}, Header(0.015)).verdict, Verdict::kValid);  // ends at 985: touching
  EXPECT_EQ(Kinds(Checked(ops, {}, {}, Header(0.0149))), (K{{"L1", 1}}));   // 985.1 ms
  EXPECT_EQ(Kinds(Checked(ops)), (K{{"L1", 1}}));                           // default 0.01: 990 ms
  // The option overrides the header.
  Options loose;
  loose.drift = 0.02;
  EXPECT_EQ(Checked(ops, loose, {}, Header(0.001)).verdict, Verdict::kValid);
  Options tight;
  tight.drift = 0.0;
  EXPECT_EQ(Kinds(Checked(ops, tight, {}, Header(0.5))), (K{{"L1", 1}}));
  EXPECT_EQ(DetailsJson(Checked(ops, tight))["drift"], 0.0);
}

TEST(LeaseL1, ASuccessfulRenewExtendsTheHoldFromItsInvocation) {
  // Renewed at 800 ms: A now holds until 800 + 990 = 1790 ms.
  EXPECT_EQ(Kinds(Checked({Acquire(0, 0, 1, 1), Renew(0, 800, 801, 1), Acquire(1, 1500, 1501, 2)})),
            (K{{"L1", 1}}));
  EXPECT_EQ(
      Checked({Acquire(0, 0, 1, 1), Renew(0, 800, 801, 1), Acquire(1, 1780, 1790, 2)}).verdict,
      Verdict::kValid);
  // Without the renew, B at 1501 ms is fine.
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1), Acquire(1, 1500, 1501, 2)}).verdict, Verdict::kValid);
}

TEST(LeaseL1, ARenewMakesTheLeaseLastItsTtlFromItsInvocationEvenWhenShorter) {
  // Granted for 10 s, renewed at 100 ms for 100 ms: held until 199 ms.
  CheckResult r =
      Checked({Acquire(0, 0, 1, 1, 10000), Renew(0, 100, 101, 1, 100), Acquire(1, 150, 151, 2)});
  EXPECT_EQ(Kinds(r), (K{{"L1", 1}}));
  EXPECT_NE(r.explanation.find("0.199 s (renewed at 0.100 s + 100 ms * (1 - 0.01))"),
            std::string::npos)
      << r.explanation;
  EXPECT_EQ(
      Checked({Acquire(0, 0, 1, 1, 10000), Renew(0, 100, 101, 1, 100), Acquire(1, 199, 200, 2)})
          .verdict,
      Verdict::kValid);
  // A later renew lengthens it again.
  EXPECT_EQ(Kinds(Checked({Acquire(0, 0, 1, 1, 10000), Renew(0, 100, 101, 1, 100),
                           Renew(0, 150, 151, 1, 1000), Acquire(1, 400, 401, 2)})),
            (K{{"L1", 1}}));
}

TEST(LeaseL1, RenewsThatMayHaveTakenEffectInEitherOrderLeaveOnlyTheEarlierEnd) {
  // The 100 ms renew (until 199 ms) may have taken effect after the 10 s one.
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1), Renew(0, 100, 300, 1, 100), Renew(1, 150, 160, 1, 10000),
                     Acquire(2, 400, 401, 2)})
                .verdict,
            Verdict::kValid);
  // Not when it completed before the long one began.
  EXPECT_EQ(Kinds(Checked({Acquire(0, 0, 1, 1), Renew(0, 100, 120, 1, 100),
                           Renew(1, 150, 160, 1, 10000), Acquire(2, 400, 401, 2)})),
            (K{{"L1", 1}}));
}

TEST(LeaseL1, FailedOrIndeterminateRenewsExtendNothing) {
  EXPECT_EQ(
      Checked({Acquire(0, 0, 1, 1), Renew(0, 800, 801, 1, 1000, kFail), Acquire(1, 1500, 1501, 2)})
          .verdict,
      Verdict::kValid);
  EXPECT_EQ(
      Checked({Acquire(0, 0, 1, 1), Renew(0, 800, 801, 1, 1000, kInfo), Acquire(1, 1500, 1501, 2)})
          .verdict,
      Verdict::kValid);
  EXPECT_EQ(
      Checked({Acquire(0, 0, 1, 1), Renew(0, 800, -1, 1, 1000, kInfo), Acquire(1, 1500, 1501, 2)})
          .verdict,
      Verdict::kValid);
}

TEST(LeaseL1, AReleaseInvocationEndsTheHoldWhateverItsOutcome) {
  for (EventType outcome : {kOk, kFail, kInfo}) {
    EXPECT_EQ(
        Checked({Acquire(0, 0, 1, 1), Release(0, 400, 401, 1, outcome), Acquire(1, 440, 450, 2)})
            .verdict,
        Verdict::kValid)
        << history::ToString(outcome);
  }
  // Released at 400 ms, but B began holding at 399 ms. (Were the release ok,
  // it would be an L4 violation too: B had superseded token 1.)
  CheckResult r =
      Checked({Acquire(0, 0, 1, 1), Release(0, 400, 401, 1, kInfo), Acquire(1, 390, 399, 2)});
  EXPECT_EQ(Kinds(r), (K{{"L1", 1}}));
  EXPECT_NE(r.explanation.find("when its release was invoked"), std::string::npos) << r.explanation;
  // Touching the release's invocation is fine.
  EXPECT_EQ(
      Checked({Acquire(0, 0, 1, 1), Release(0, 400, 401, 1), Acquire(1, 390, 400, 2)}).verdict,
      Verdict::kValid);
}

TEST(LeaseL1, IndeterminateOrFailedAcquiresMakeNobodyAHolder) {
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 0, 1000, kInfo), Acquire(1, 2, 3, 1)}).verdict,
            Verdict::kValid);
  EXPECT_EQ(Checked({Acquire(0, 0, -1, 0, 1000, kInfo), Acquire(1, 2, 3, 1)}).verdict,
            Verdict::kValid);
  EXPECT_EQ(Checked({Acquire(1, 2, 3, 1), Acquire(0, 4, 5, 0, 1000, kFail)}).verdict,
            Verdict::kValid);
}

TEST(LeaseL1, IndependentResourcesMayBeHeldAtOnce) {
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1, 1000, kOk, "x"), Acquire(1, 2, 3, 1, 1000, kOk, "y"),
                     Acquire(2, 4, 5, 1, 1000, kOk, 7)})
                .verdict,
            Verdict::kValid);
  CheckResult r = Checked({Acquire(0, 0, 1, 1, 1000, kOk, "x"), Acquire(1, 2, 3, 1, 1000, kOk, "y"),
                           Acquire(2, 4, 5, 2, 1000, kOk, "y")});
  EXPECT_EQ(Kinds(r), (K{{"L1", 1}}));
  EXPECT_EQ(DetailsJson(r)["violations"][0]["key"], "y");
  EXPECT_EQ(DetailsJson(r)["resources"], 2);
}

TEST(LeaseL1, AHoldThatEndedBeforeTheAcquireCompletedIsEmpty) {
  // A asked at 0 with a 100 ms ttl but heard back only at 200 ms: it never
  // held the lease, so B's hold from 150 ms overlaps nobody's.
  EXPECT_EQ(Checked({Acquire(0, 0, 200, 1, 100), Acquire(1, 140, 150, 2)}).verdict,
            Verdict::kValid);
}

TEST(LeaseL1, ARenewAfterTheHoldLapsedHoldsAgainOnlyFromItsCompletion) {
  // A's hold lapses at 990 ms; B holds 996..1094 ms (ttl 100); A's renew at
  // 1100 ms starts a new hold at 1101 ms: no overlap, but B had superseded A.
  CheckResult r =
      Checked({Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2, 100), Renew(0, 1100, 1101, 1)});
  EXPECT_EQ(Kinds(r), (K{{"L4", 1}}));
  // Renewed at 1000 ms: the new hold from 1001 ms overlaps B's.
  r = Checked({Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2, 100), Renew(0, 1000, 1001, 1)});
  EXPECT_EQ(Kinds(r), (K{{"L1", 1}, {"L4", 1}}));
  EXPECT_NE(r.explanation.find("a renew completed after its hold had lapsed"), std::string::npos)
      << r.explanation;
}

TEST(LeaseL1, EveryOverlapIsCounted) {
  // Four holders at once: each after the first began while another held.
  CheckResult r = Checked(
      {Acquire(0, 0, 1, 1), Acquire(1, 10, 11, 2), Acquire(2, 20, 21, 3), Acquire(3, 30, 31, 4)});
  EXPECT_EQ(Kinds(r), (K{{"L1", 3}}));
  EXPECT_EQ(DetailsJson(r)["violations"].size(), 3u);
  Options capped;
  capped.max_reported = 2;
  r = Checked(
      {Acquire(0, 0, 1, 1), Acquire(1, 10, 11, 2), Acquire(2, 20, 21, 3), Acquire(3, 30, 31, 4)},
      capped);
  EXPECT_EQ(DetailsJson(r)["count"], 3);
  EXPECT_EQ(DetailsJson(r)["violations"].size(), 2u);
}

TEST(LeaseL1, NemesisEventsInTheOverlapAreNamed) {
  CheckResult r = Checked({Acquire(0, 0, 1, 1), Acquire(1, 500, 501, 2)}, {},
                          {{Ns(600), "pause", Json::array({"n2"})}, {Ns(2000), "resume", "n2"}});
  EXPECT_NE(r.explanation.find("a pause of n2 (0.600 s) happened in between"), std::string::npos)
      << r.explanation;
  EXPECT_EQ(DetailsJson(r)["violations"][0]["nemesis"].size(), 1u);
}

// --- L2 fencing tokens -----------------------------------------------------

TEST(LeaseL2, TokensMustIncreaseInRealTimeGrantOrder) {
  // A released before B asked: no overlap, but B's token is lower.
  CheckResult r = Checked({Acquire(0, 0, 1, 5), Release(0, 10, 11, 5), Acquire(1, 20, 21, 3)});
  EXPECT_EQ(Kinds(r), (K{{"L2", 1}}));
  const Json v = DetailsJson(r)["violations"][0];
  EXPECT_EQ(v["kind"], "L2");
  EXPECT_EQ(v["steps"][0]["edge"], "real-time");
  EXPECT_EQ(v["steps"][1]["edge"], "token");
  EXPECT_NE(r.explanation.find("was granted token 3 at 0.021 s, not above token 5"),
            std::string::npos)
      << r.explanation;
  // An equal token later is as bad; a higher one is fine.
  EXPECT_EQ(Kinds(Checked({Acquire(0, 0, 1, 5), Release(0, 10, 11, 5), Acquire(1, 20, 21, 5)})),
            (K{{"L2", 1}}));
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 5), Release(0, 10, 11, 5), Acquire(1, 20, 21, 6)}).verdict,
            Verdict::kValid);
}

TEST(LeaseL2, ConcurrentAcquiresMayGetTokensInEitherOrder) {
  // B (token 1) asked while A's acquire (token 2) was still in flight.
  EXPECT_EQ(Checked({Acquire(0, 0, 10, 2), Acquire(1, 5, 6, 1), Release(1, 7, 8, 1)}).verdict,
            Verdict::kValid);
  // Touching: A completed at the instant B was invoked.
  EXPECT_EQ(Checked({Acquire(0, 0, 5, 2), Release(2, 5, 5.5, 2), Acquire(1, 5, 6, 1)}).verdict,
            Verdict::kValid);
}

TEST(LeaseL2, TokensAreUniqueEvenForConcurrentGrants) {
  CheckResult r = Checked({Acquire(0, 0, 10, 1), Acquire(1, 5, 6, 1), Release(1, 7, 8, 1)});
  EXPECT_EQ(Kinds(r), (K{{"L2", 1}}));
  EXPECT_NE(r.explanation.find("were both granted token 1"), std::string::npos) << r.explanation;
  // The same token on another resource is no clash.
  EXPECT_EQ(
      Checked({Acquire(0, 0, 10, 1, 1000, kOk, "x"), Acquire(1, 5, 6, 1, 1000, kOk, "y")}).verdict,
      Verdict::kValid);
}

TEST(LeaseL2, IndeterminateAcquiresHaveNoToken) {
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 0, 1000, kInfo), Acquire(1, 2000, 2001, 1),
                     Acquire(2, 3000, 3001, 0, 1000, kFail)})
                .verdict,
            Verdict::kValid);
}

// --- L3 storage fencing ----------------------------------------------------

TEST(LeaseL3, AcceptingALowerTokenAfterAHigherOneIsInvalid) {
  CheckResult r = Checked({Write(0, 0, 1, 2, "a"), Write(1, 2, 3, 1, "b")});
  EXPECT_EQ(Kinds(r), (K{{"L3", 1}}));
  EXPECT_NE(r.explanation.find("accepted process 1's write with token 1"), std::string::npos)
      << r.explanation;
  EXPECT_EQ(DetailsJson(r)["violations"][0]["steps"][1]["edge"], "token");
}

TEST(LeaseL3, RefusedStaleWritesAreCorrectBehaviour) {
  EXPECT_EQ(
      Checked({Write(0, 0, 1, 2, "a"), Write(1, 2, 3, 1, "b", kFail), Read(2, 4, 5, Seen(2, "a"))})
          .verdict,
      Verdict::kValid);
}

TEST(LeaseL3, ConcurrentOrEqualTokenWritesAreFine) {
  EXPECT_EQ(Checked({Write(0, 0, 10, 2, "a"), Write(1, 5, 6, 1, "b")}).verdict, Verdict::kValid);
  EXPECT_EQ(Checked({Write(0, 0, 1, 2, "a"), Write(1, 2, 3, 2, "b"), Read(2, 4, 5, Seen(2, "b"))})
                .verdict,
            Verdict::kValid);
  // Touching: accepted at the instant the lower one began.
  EXPECT_EQ(Checked({Write(0, 0, 2, 2, "a"), Write(1, 2, 3, 1, "b")}).verdict, Verdict::kValid);
}

TEST(LeaseL3, AStaleReadIsACycle) {
  CheckResult r =
      Checked({Write(0, 0, 1, 1, "a"), Write(1, 2, 3, 2, "b"), Read(2, 4, 5, Seen(1, "a"))});
  EXPECT_EQ(Kinds(r), (K{{"L3", 1}}));
  const Json v = DetailsJson(r)["violations"][0];
  EXPECT_TRUE(v["cycle"].get<bool>());
  EXPECT_EQ(v["steps"][0]["edge"], "real-time");
  EXPECT_EQ(v["steps"][1]["edge"], "rw");
  EXPECT_NE(r.explanation.find("but the resource had accepted token 2"), std::string::npos)
      << r.explanation;
  // Reading the newer state, or the older one concurrently, is fine.
  EXPECT_EQ(Checked({Write(0, 0, 1, 1, "a"), Write(1, 2, 3, 2, "b"), Read(2, 4, 5, Seen(2, "b"))})
                .verdict,
            Verdict::kValid);
  EXPECT_EQ(Checked({Write(0, 0, 1, 1, "a"), Write(1, 2, 3, 2, "b"), Read(2, 2.5, 5, Seen(1, "a"))})
                .verdict,
            Verdict::kValid);
}

TEST(LeaseL3, ReadingNothingAfterAnAcceptedWriteIsInvalid) {
  EXPECT_EQ(Kinds(Checked({Write(0, 0, 1, 1, "a"), Read(2, 4, 5, nullptr)})), (K{{"L3", 1}}));
  EXPECT_EQ(Checked({Read(2, 0, 1, nullptr), Write(0, 2, 3, 1, "a")}).verdict, Verdict::kValid);
}

TEST(LeaseL3, PhantomAndAbortedReadsAreInvalid) {
  CheckResult r = Checked({Write(0, 0, 1, 1, "a"), Read(2, 4, 5, Seen(1, "zzz"))});
  EXPECT_EQ(Kinds(r), (K{{"L3", 1}}));
  EXPECT_NE(r.explanation.find("which no write wrote"), std::string::npos) << r.explanation;
  r = Checked({Write(0, 0, 1, 1, "a"), Write(1, 2, 3, 0, "b", kFail), Read(2, 4, 5, Seen(0, "b"))});
  EXPECT_EQ(Kinds(r), (K{{"L3", 1}}));
  EXPECT_NE(r.explanation.find("which only a refused write wrote"), std::string::npos)
      << r.explanation;
  // A read of a write that began only after the read completed.
  r = Checked({Read(2, 0, 1, Seen(1, "a")), Write(0, 2, 3, 1, "a")});
  EXPECT_EQ(Kinds(r), (K{{"L3", 1}}));
  EXPECT_NE(r.explanation.find("wrote only later"), std::string::npos) << r.explanation;
}

TEST(LeaseL3, IndeterminateWritesMayTakeEffectLateOrNever) {
  EXPECT_EQ(
      Checked({Write(0, 0, 1, 1, "a", kInfo), Read(2, 4, 5, nullptr), Read(3, 6, 7, Seen(1, "a"))})
          .verdict,
      Verdict::kValid);
  EXPECT_EQ(Checked({Write(0, 0, -1, 1, "a", kInfo), Read(2, 4, 5, nullptr)}).verdict,
            Verdict::kValid);
  // Once seen, it cannot be unseen.
  EXPECT_EQ(Kinds(Checked({Write(0, 0, -1, 1, "a", kInfo), Read(2, 4, 5, Seen(1, "a")),
                           Read(3, 6, 7, nullptr)})),
            (K{{"L3", 1}}));
}

// --- L4 lifecycle ----------------------------------------------------------

TEST(LeaseL4, OnlyTheCurrentHolderRenewsOrReleases) {
  // A's lease lapsed; B was granted; A's renew still succeeded.
  CheckResult r =
      Checked({Acquire(0, 0, 1, 1), Acquire(1, 1000, 1001, 2, 100), Renew(0, 1200, 1201, 1)});
  EXPECT_EQ(Kinds(r), (K{{"L4", 1}}));
  EXPECT_NE(r.explanation.find("had been granted token 2"), std::string::npos) << r.explanation;
  EXPECT_TRUE(DetailsJson(r)["violations"][0]["cycle"].get<bool>());
  // The same renew refused is correct.
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1), Acquire(1, 1000, 1001, 2, 100),
                     Renew(0, 1200, 1201, 1, 1000, kFail)})
                .verdict,
            Verdict::kValid);
  // A release of the superseded token, likewise.
  EXPECT_EQ(Kinds(Checked(
                {Acquire(0, 0, 1, 1), Acquire(1, 1000, 1001, 2, 100), Release(0, 1200, 1201, 1)})),
            (K{{"L4", 1}}));
}

TEST(LeaseL4, ARenewThatRacedALaterGrantIsInvalidWhicheverCameFirst) {
  // p0 holds until 990 ms; p1 is granted in [995, 996] ms and lets go at
  // 996.2 ms; p0's renew in [995.5, 997.5] ms succeeds. Grant first: a
  // superseded token renewed. Renew first: p1 held while p0's lease ran.
  const std::vector<TestOp> race = {Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2),
                                    Release(1, 996.2, 996.4, 2), Renew(0, 995.5, 997.5, 1)};
  CheckResult r = Checked(race);
  EXPECT_EQ(Kinds(r), (K{{"L4", 1}}));
  const Json v = DetailsJson(r)["violations"][0];
  EXPECT_TRUE(v["cycle"].get<bool>());
  EXPECT_EQ(v["steps"].size(), 2u);
  EXPECT_NE(r.explanation.find("process 0's renew of token 1 succeeded (0.995500 s .. 0.997500 s) "
                               "while process 1's acquire was granted token 2 (0.995000 s .. "
                               "0.996000 s): whichever took effect first, the lease was not "
                               "exclusive"),
            std::string::npos)
      << r.explanation;
  EXPECT_NE(r.explanation.find("had the renew come first, the lease was process 0's until "
                               "1.986 s, and process 1 held it from 0.996 s"),
            std::string::npos)
      << r.explanation;
  // A failed or indeterminate renew: the grant simply came first.
  for (EventType outcome : {kFail, kInfo}) {
    std::vector<TestOp> ops = race;
    ops.back().outcome = outcome;
    EXPECT_EQ(Checked(ops).verdict, Verdict::kValid) << history::ToString(outcome);
  }
  // A release or a fenced write in the renew's place may have come first.
  EXPECT_EQ(
      Checked({Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2), Release(0, 995.5, 997.5, 1)}).verdict,
      Verdict::kValid);
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2), Write(0, 995.5, 997.5, 1, "a")})
                .verdict,
            Verdict::kValid);
  // A renewed lease over (995.5 + 0.4 * 0.99 ms) before p1 held: renew first is clean.
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2), Renew(0, 995.5, 997.5, 1, 0.4)})
                .verdict,
            Verdict::kValid);
  // A grant whose holder never held (its acquire outlasted its ttl) harms
  // nobody, as for L1.
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2, 0.5), Renew(0, 995.5, 997.5, 1)})
                .verdict,
            Verdict::kValid);
  // A grant concurrent with p0's own may have come before it.
  EXPECT_EQ(Checked({Acquire(0, 0, 10, 2), Acquire(1, 5, 6, 1, 1), Renew(2, 12, 20, 2)}).verdict,
            Verdict::kValid);
  // Without times no lease runs out: p1 was granted while p0 held (L1), and
  // the race is as before.
  EXPECT_EQ(UntimedKinds(race), (K{{"L1", 1}, {"L4", 1}}));
}

TEST(LeaseL4, OnlyRenewsThatMayHaveComeLastBoundTheLease) {
  // The 10 s grant was followed by a 100 ms renew: over by 101 + 101 ms.
  EXPECT_EQ(Kinds(Checked({Acquire(0, 0, 1, 1, 10000), Renew(0, 100, 101, 1, 100),
                           Renew(0, 202.5, 203, 1, 100)})),
            (K{{"L4", 1}}));
  EXPECT_EQ(
      Checked({Acquire(0, 0, 1, 1, 10000), Renew(0, 100, 101, 1, 100), Renew(0, 202, 203, 1, 100)})
          .verdict,
      Verdict::kValid);
  // A 10 s renew concurrent with the short one may have come after it.
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1, 10000), Renew(0, 100, 101, 1, 100),
                     Renew(1, 90, 150, 1, 10000), Renew(0, 500, 501, 1, 100)})
                .verdict,
            Verdict::kValid);
}

TEST(LeaseL4, NothingIsRenewedOrReleasedAfterARelease) {
  CheckResult r = Checked({Acquire(0, 0, 1, 1), Release(0, 100, 101, 1), Renew(0, 200, 201, 1)});
  EXPECT_EQ(Kinds(r), (K{{"L4", 1}}));
  EXPECT_NE(r.explanation.find("had been released at 0.101 s"), std::string::npos) << r.explanation;
  EXPECT_EQ(Kinds(Checked({Acquire(0, 0, 1, 1), Release(0, 100, 101, 1), Release(0, 200, 201, 1)})),
            (K{{"L4", 1}}));
  // After an indeterminate or refused release, the holder may still renew.
  EXPECT_EQ(
      Checked({Acquire(0, 0, 1, 1), Release(0, 100, 101, 1, kFail), Renew(0, 200, 201, 1)}).verdict,
      Verdict::kValid);
  EXPECT_EQ(
      Checked({Acquire(0, 0, 1, 1), Release(0, 100, 101, 1, kInfo), Renew(9, 200, 201, 1)}).verdict,
      Verdict::kValid);
}

TEST(LeaseL4, ARenewAfterTheLeaseRanOutDoesNotSucceed) {
  // Granted by 1 ms, ttl 1000 ms, drift 0.01: over by 1 + 1010 = 1011 ms.
  CheckResult r = Checked({Acquire(0, 0, 1, 1), Renew(0, 1011.001, 1012, 1)});
  EXPECT_EQ(Kinds(r), (K{{"L4", 1}}));
  EXPECT_FALSE(DetailsJson(r)["violations"][0]["cycle"].get<bool>());
  EXPECT_NE(r.explanation.find("after the lease had run out by 1.011000 s"), std::string::npos)
      << r.explanation;
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1), Renew(0, 1011, 1012, 1)}).verdict, Verdict::kValid);
  // Each renewal moves the bound: 500 + 1 + 1010 = 1511 ms.
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1), Renew(0, 500, 501, 1), Renew(0, 1510, 1520, 1)}).verdict,
            Verdict::kValid);
  EXPECT_EQ(Kinds(Checked({Acquire(0, 0, 1, 1), Renew(0, 500, 501, 1), Renew(0, 1511.5, 1520, 1)})),
            (K{{"L4", 1}}));
  // A failed renew never extends it.
  EXPECT_EQ(Kinds(Checked({Acquire(0, 0, 1, 1), Renew(0, 500, 501, 1, 1000, kFail),
                           Renew(0, 1200, 1201, 1)})),
            (K{{"L4", 1}}));
  // A concurrent successful renew may have taken effect first.
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1), Renew(0, 900, 2000, 1), Renew(1, 1500, 1501, 1)}).verdict,
            Verdict::kValid);
  // Drift widens the bound: with 0.1, 1 + 1100 = 1101 ms.
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1), Renew(0, 1100, 1101, 1)}, {}, {}, Header(0.1)).verdict,
            Verdict::kValid);
}

TEST(LeaseL4, TokensNobodyWasGrantedAreNotRenewed) {
  CheckResult r = Checked({Acquire(0, 0, 1, 1), Renew(1, 100, 101, 42)});
  EXPECT_EQ(Kinds(r), (K{{"L4", 1}}));
  EXPECT_NE(r.explanation.find("no acquire on this resource had been granted token 42"),
            std::string::npos)
      << r.explanation;
  // Nor one whose acquire had not completed when the renew began.
  EXPECT_EQ(Kinds(Checked({Acquire(0, 0, 100, 1), Renew(1, 50, 101, 1)})), (K{{"L4", 1}}));
}

TEST(LeaseL4, TheCurrentHolderRenewsAndReleasesFreely) {
  EXPECT_EQ(Checked({Acquire(0, 0, 1, 1), Renew(0, 500, 501, 1), Renew(0, 1000, 1001, 1),
                     Release(0, 1500, 1501, 1), Acquire(1, 1600, 1601, 2), Renew(1, 2000, 2001, 2),
                     Release(1, 2100, 2101, 2)})
                .verdict,
            Verdict::kValid);
}

// --- Errors and wiring -----------------------------------------------------

TEST(LeaseUntimed, AHoldLastsUntilItsReleaseOrAFailedRenew) {
  // Handed on by a release: fine, whatever the ttls.
  EXPECT_EQ(UntimedKinds({Acquire(0, 0, 1, 1, 1), Release(0, 2, 3, 1), Acquire(1, 4, 5, 2, 1),
                          Renew(1, 6, 7, 2, 1), Release(1, 8, 9, 2)}),
            K{});
  // Granted while the first holder never let go: with no clock, nothing
  // shows its lease ran out.
  EXPECT_EQ(UntimedKinds({Acquire(0, 0, 1, 1), Acquire(1, 4, 5, 2)}), (K{{"L1", 1}}));
  // A failed renew: the lease was lost by then (at its invocation, at the
  // latest), and the next holder may take it.
  EXPECT_EQ(
      UntimedKinds({Acquire(0, 0, 1, 1), Renew(0, 2, 3, 1, 1000, kFail), Acquire(1, 2.5, 4, 2)}),
      K{});
  EXPECT_EQ(
      UntimedKinds({Acquire(0, 0, 1, 1), Acquire(1, 1.5, 2.5, 2), Renew(0, 3, 4, 1, 1000, kFail)}),
      (K{{"L1", 1}}));
  Result<CheckResult> r = Check(
      Untimed({Acquire(0, 0, 1, 1), Acquire(1, 1.5, 2.5, 2), Renew(0, 3, 4, 1, 1000, kFail)}), {});
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->explanation.find("before the hold of process 1 (token 2) ended, which it never did "
                                "(without clock times a lease lasts until it is released)"),
            std::string::npos)
      << r->explanation;
  EXPECT_NE(r->explanation.find("ended at line 6, when a renew of it failed"), std::string::npos)
      << r->explanation;
  // A renew much later than its ttl is never "certainly run out".
  EXPECT_EQ(UntimedKinds({Acquire(0, 0, 1, 1, 0.001), Renew(0, 50, 51, 1, 0.001)}), K{});
}

TEST(LeaseUntimed, OrderAloneStillDecidesL2L3AndL4) {
  EXPECT_EQ(UntimedKinds({Acquire(0, 0, 1, 5), Release(0, 2, 3, 5), Acquire(1, 4, 5, 3)}),
            (K{{"L2", 1}}));
  EXPECT_EQ(UntimedKinds({Write(0, 0, 1, 2, "a"), Write(1, 2, 3, 1, "b")}), (K{{"L3", 1}}));
  // Superseded, then renewed (and the overlap that makes).
  EXPECT_EQ(UntimedKinds({Acquire(0, 0, 1, 1), Release(0, 1.5, 1.6, 1, kInfo), Acquire(1, 2, 3, 2),
                          Renew(0, 4, 5, 1)}),
            (K{{"L4", 1}}));
  EXPECT_EQ(UntimedKinds({Acquire(0, 0, 1, 1), Release(0, 2, 3, 1), Renew(0, 4, 5, 1)}),
            (K{{"L4", 1}}));
  Result<CheckResult> r =
      Check(Untimed({Acquire(0, 0, 1, 5), Release(0, 2, 3, 5), Acquire(1, 4, 5, 3)}), {});
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->explanation.find("was granted token 3 at line 7, not above token 5 granted to "
                                "process 0 at line 3, before process 1 asked at line 6"),
            std::string::npos)
      << r->explanation;
}

TEST(LeaseChecker, BadFieldsAreErrorsNamingTheLine) {
  auto error = [](const std::vector<TestOp>& ops, Json header = Header()) {
    Result<CheckResult> r = Check(MakeHistory(ops, {}, header), {});
    return r.ok() ? std::string("ok") : r.message();
  };
  EXPECT_NE(error({{0, "acquire", Json{{"ttl_ms", 10}}, Json{{"token", "one"}}, kOk, 0, 1, "x"}})
                .find("test.jsonl:3: leases checker: field 'value.token' of an acquire's ok "
                      "completion must be an integer"),
            std::string::npos);
  EXPECT_NE(error({{0, "acquire", Json::object(), Json{{"token", 1}}, kOk, 0, 1, "x"}})
                .find("test.jsonl:2: leases checker: field 'value.ttl_ms' missing"),
            std::string::npos);
  // The header's options.ttl_ms stands in.
  Json header = Header();
  header["options"] = {{"ttl_ms", 100}};
  EXPECT_EQ(error({{0, "acquire", Json::object(), Json{{"token", 1}}, kOk, 0, 1, "x"}}, header),
            "ok");
  EXPECT_NE(error({{0, "cas", Json::array({1, 2}), nullptr, kOk, 0, 1, "x"}})
                .find("field 'f' 'cas' is not a lease operation"),
            std::string::npos);
  EXPECT_NE(error({Write(0, 0, 1, 1, "a"), Read(1, 2, 3, 5)})
                .find("test.jsonl:5: leases checker: field 'value' of a read must be"),
            std::string::npos)
      << error({Write(0, 0, 1, 1, "a"), Read(1, 2, 3, 5)});
  EXPECT_NE(error({Write(0, 0, 1, 1, "a"), Read(1, 2, 3, Json{{"token", "t"}})})
                .find("test.jsonl:5: leases checker: field 'value.token' of a read's ok "
                      "completion must be an integer"),
            std::string::npos);
  Json bad = Header();
  bad["options"] = {{"drift", 1.5}};
  EXPECT_NE(error({Acquire(0, 0, 1, 1)}, bad).find("header field 'options.drift'"),
            std::string::npos);
}

}  // namespace
}  // namespace jepsen::checker::lease
