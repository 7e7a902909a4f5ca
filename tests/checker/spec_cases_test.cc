// A differential set for the lease and checkpoint checkers: small histories,
// each derived from one sentence of the format spec (shared/spec/
// history-format.md, "Leases", "Checkpoints", "Pairing and meaning", "time"),
// with the verdict that sentence implies. Drift is the default 0.01 unless a
// case says otherwise: a holder may act until invocation + ttl * 0.99, and a
// lease is certainly over at completion + ttl * 1.01. Times are in ms.
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <optional>

#include "checker/checkpoint/checkpoint.h"
#include "checker/lease/lease.h"
#include "tests/support/history_maker.h"

namespace jepsen::checker {
namespace {

using history::EventType;
using history::Json;
using testing::TestOp;

constexpr EventType kOk = EventType::kOk;
constexpr EventType kFail = EventType::kFail;
constexpr EventType kInfo = EventType::kInfo;

int64_t Ns(double ms) { return static_cast<int64_t>(ms * 1'000'000); }

// Ops, times in ms; ret < 0 with kInfo: never completed.
TestOp Op(int64_t p, const char* f, double call, double ret, Json value, Json result,
          EventType outcome, Json key) {
  return {p,       f,        std::move(value),       std::move(result),
          outcome, Ns(call), ret < 0 ? -1 : Ns(ret), std::move(key)};
}
TestOp Acquire(int64_t p, double call, double ret, int64_t token, double ttl = 1000,
               EventType outcome = kOk) {
  return Op(p, "acquire", call, ret, {{"ttl_ms", ttl}},
            outcome == kOk ? Json{{"token", token}} : Json(), outcome, "x");
}
TestOp Renew(int64_t p, double call, double ret, int64_t token, double ttl = 1000,
             EventType outcome = kOk) {
  return Op(p, "renew", call, ret, {{"token", token}, {"ttl_ms", ttl}}, nullptr, outcome, "x");
}
TestOp Release(int64_t p, double call, double ret, int64_t token, EventType outcome = kOk) {
  return Op(p, "release", call, ret, {{"token", token}}, nullptr, outcome, "x");
}
TestOp Write(int64_t p, double call, double ret, int64_t token, Json value,
             EventType outcome = kOk) {
  return Op(p, "write", call, ret, {{"token", token}, {"value", value}}, nullptr, outcome, "x");
}
TestOp Read(int64_t p, double call, double ret, Json seen) {
  return Op(p, "read", call, ret, nullptr, seen, kOk, "x");
}
Json Seen(int64_t token, Json value) { return {{"token", token}, {"value", value}}; }
TestOp Checkpoint(int64_t p, double call, double ret, int64_t seq, EventType outcome = kOk) {
  return Op(p, "checkpoint", call, ret, {{"seq", seq}}, nullptr, outcome, "s");
}
// nullopt: read null (no checkpoint yet).
TestOp SeqRead(int64_t p, double call, double ret, std::optional<int64_t> seq) {
  return Op(p, "read", call, ret, nullptr, seq ? Json{{"seq", *seq}} : Json(), kOk, "s");
}

struct Case {
  const char* name;
  const char* spec;  // the sentence the verdict follows from
  std::vector<TestOp> ops;
  std::map<std::string, int> kinds;  // {} for valid
  bool timed = true;
  Json options = Json::object();  // the header's
};

const char* const kHolder =
    "A holder may act from its acquire completion until its invocation time plus T*(1-drift) "
    "(extended by each successful renew from that renew's invocation), or until it invokes "
    "release.";
const char* const kRenew =
    "renew: ok = the lease now lasts T from this renew's invocation; fail = the lease is lost.";
const char* const kOkInstant =
    "ok: the op took effect exactly once, at some instant within [invoke time, completion time] "
    "(closed interval: ops that touch are concurrent).";
const char* const kFailed = "fail: the op certainly did not take effect.";
const char* const kIndeterminate =
    "info: indeterminate. It may have taken effect at any instant after its invocation, or never.";
const char* const kToken = "acquire: ok value = {\"token\": N}, the fencing token.";
const char* const kWrite =
    "write: a fenced write to the resource the lease protects: ok = the resource accepted it, "
    "fail = it was refused.";
const char* const kReadLease =
    "read: of the protected resource: completion value = {\"token\": N, \"value\": V}, the last "
    "accepted write (null before any).";
const char* const kNoTime = "time absent: the line number serves as time.";
const char* const kDrift = "The checker takes drift (default 0.01) from the header's options.";
const char* const kCheckpoint =
    "checkpoint: ok = durably acknowledged; fail = refused (for instance because N is not above "
    "the stored one).";
const char* const kCheckpointRead =
    "read: completion value = {\"seq\": N} for the latest stored checkpoint, or null for none.";

std::vector<Case> LeaseCases() {
  using K = std::map<std::string, int>;
  return {
      {"handed on by a release",
       kHolder,
       {Acquire(0, 0, 1, 1), Release(0, 100, 101, 1), Acquire(1, 200, 201, 2)},
       {}},
      {"granted while the first holder still holds",
       kHolder,
       {Acquire(0, 0, 1, 1), Acquire(1, 500, 501, 2)},
       K{{"L1", 1}}},
      {"granted the instant the first hold ends (0 + 1000 * 0.99)",
       kHolder,
       {Acquire(0, 0, 1, 1), Acquire(1, 980, 990, 2)},
       {}},
      {"granted a microsecond before the first hold ends",
       kHolder,
       {Acquire(0, 0, 1, 1), Acquire(1, 980, 989.999, 2)},
       K{{"L1", 1}}},
      {"a larger drift shortens the hold",
       kDrift,
       {Acquire(0, 0, 1, 1), Acquire(1, 900, 985, 2)},
       {},
       true,
       {{"drift", 0.02}}},
      {"a failed acquire during a hold",
       kFailed,
       {Acquire(0, 0, 1, 1), Acquire(1, 500, 501, 0, 1000, kFail)},
       {}},
      {"an indeterminate acquire during a hold",
       kIndeterminate,
       {Acquire(0, 0, 1, 1), Acquire(1, 500, 501, 0, 1000, kInfo)},
       {}},
      {"a renew extends the hold from its invocation",
       kRenew,
       {Acquire(0, 0, 1, 1), Renew(0, 800, 801, 1), Acquire(1, 1500, 1501, 2)},
       K{{"L1", 1}}},
      {"a renew shortens the lease: the next grant after its end is fine",
       kRenew,
       {Acquire(0, 0, 1, 1, 10000), Renew(0, 100, 101, 1, 100), Acquire(1, 300, 301, 2)},
       {}},
      {"a renew shortens the lease: a grant before its end is not",
       kRenew,
       {Acquire(0, 0, 1, 1, 10000), Renew(0, 100, 101, 1, 100), Acquire(1, 150, 151, 2)},
       K{{"L1", 1}}},
      {"a shortened lease then renewed after it ran out",
       kRenew,
       {Acquire(0, 0, 1, 1, 10000), Renew(0, 100, 101, 1, 100), Renew(0, 500, 501, 1, 100)},
       K{{"L4", 1}}},
      {"a failed renew extends nothing",
       kRenew,
       {Acquire(0, 0, 1, 1), Renew(0, 800, 801, 1, 1000, kFail), Acquire(1, 1500, 1501, 2)},
       {}},
      {"an indeterminate renew extends nothing",
       kIndeterminate,
       {Acquire(0, 0, 1, 1), Renew(0, 800, -1, 1, 1000, kInfo), Acquire(1, 1500, 1501, 2)},
       {}},
      {"the release invocation ends the hold, whatever its outcome",
       kHolder,
       {Acquire(0, 0, 1, 1), Release(0, 400, 460, 1, kInfo), Acquire(1, 440, 450, 2)},
       {}},
      {"a renew after the release completed",
       kRenew,
       {Acquire(0, 0, 1, 1), Release(0, 100, 101, 1), Renew(0, 200, 201, 1)},
       K{{"L4", 1}}},
      {"a renew after another holder was granted",
       kRenew,
       {Acquire(0, 0, 1, 1), Acquire(1, 1000, 1001, 2, 100), Renew(0, 1200, 1201, 1)},
       K{{"L4", 1}}},
      {"a release after another holder was granted",
       kHolder,
       {Acquire(0, 0, 1, 1), Acquire(1, 1000, 1001, 2, 100), Release(0, 1200, 1201, 1)},
       K{{"L4", 1}}},
      // The case: p0's lease (until 990 ms) is lapsing; p1 is granted
      // in [995, 996] and lets go at once; p0's renew in [995.5, 997.5]
      // succeeds. Grant first: a superseded token renewed. Renew first: p1
      // held while p0's renewed lease ran.
      {"a renew succeeds while another's grant is concurrent",
       kOkInstant,
       {Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2), Release(1, 996.2, 996.4, 2),
        Renew(0, 995.5, 997.5, 1)},
       K{{"L4", 1}}},
      {"the same race with a renew of a short ttl",
       kOkInstant,
       {Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2), Renew(0, 995.5, 997.5, 1, 2)},
       K{{"L4", 1}}},
      {"the same race, the renew failed",
       kFailed,
       {Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2), Release(1, 996.2, 996.4, 2),
        Renew(0, 995.5, 997.5, 1, 1000, kFail)},
       {}},
      {"the same race, the renew indeterminate",
       kIndeterminate,
       {Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2), Release(1, 996.2, 996.4, 2),
        Renew(0, 995.5, 997.5, 1, 1000, kInfo)},
       {}},
      {"a release that raced a grant may have come first",
       kOkInstant,
       {Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2), Release(0, 995.5, 997.5, 1)},
       {}},
      {"a fenced write that raced a grant",
       kWrite,
       {Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2), Write(0, 995.5, 997.5, 1, "a")},
       {}},
      {"a renew that raced a grant, its own lease over before the grant's holder held",
       kRenew,
       {Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2), Renew(0, 995.5, 997.5, 1, 0.4)},
       {}},
      {"a superseded holder's write the resource had no reason to refuse",
       kWrite,
       {Acquire(0, 0, 1, 1), Acquire(1, 995, 996, 2), Write(0, 1000, 1001, 1, "a")},
       {}},
      {"a write with a token below one the resource accepted",
       kWrite,
       {Write(1, 0, 1, 2, "b"), Write(0, 2, 3, 1, "a")},
       K{{"L3", 1}}},
      {"a renew after the lease certainly ran out (1 + 1000 * 1.01)",
       kRenew,
       {Acquire(0, 0, 1, 1), Renew(0, 1011.001, 1012, 1)},
       K{{"L4", 1}}},
      {"a renew at the last instant the lease may have lasted",
       kRenew,
       {Acquire(0, 0, 1, 1), Renew(0, 1011, 1012, 1)},
       {}},
      {"a renew of a token nobody was granted",
       kToken,
       {Acquire(0, 0, 1, 1), Renew(1, 100, 101, 42)},
       K{{"L4", 1}}},
      {"tokens go down in real-time grant order",
       kToken,
       {Acquire(0, 0, 1, 5), Release(0, 10, 11, 5), Acquire(1, 20, 21, 3)},
       K{{"L2", 1}}},
      {"concurrent acquires may get tokens in either order",
       kOkInstant,
       {Acquire(0, 0, 10, 2, 1), Acquire(1, 5, 6, 1, 1)},
       {}},
      {"two grants of one token",
       kToken,
       {Acquire(0, 0, 10, 1, 1), Acquire(1, 5, 6, 1, 1)},
       K{{"L2", 1}}},
      {"a read of a state older than an accepted write",
       kReadLease,
       {Write(0, 0, 1, 1, "a"), Write(1, 2, 3, 2, "b"), Read(2, 4, 5, Seen(1, "a"))},
       K{{"L3", 1}}},
      {"a read concurrent with the newer write",
       kReadLease,
       {Write(0, 0, 1, 1, "a"), Write(1, 2, 3, 2, "b"), Read(2, 2.5, 5, Seen(1, "a"))},
       {}},
      {"a read of null after an accepted write",
       kReadLease,
       {Write(0, 0, 1, 1, "a"), Read(2, 4, 5, nullptr)},
       K{{"L3", 1}}},
      {"no times: handed on by a release",
       kNoTime,
       {Acquire(0, 0, 1, 1, 1), Release(0, 2, 3, 1), Acquire(1, 4, 5, 2, 1)},
       {},
       false},
      {"no times: granted while the first holder never let go",
       kNoTime,
       {Acquire(0, 0, 1, 1), Acquire(1, 4, 5, 2)},
       K{{"L1", 1}},
       false},
      {"no times: granted after the first holder's renew failed",
       kNoTime,
       {Acquire(0, 0, 1, 1), Renew(0, 2, 3, 1, 1000, kFail), Acquire(1, 4, 5, 2)},
       {},
       false},
      {"no times: a renew of a superseded token",
       kNoTime,
       {Acquire(0, 0, 1, 1), Renew(0, 2, 3, 1, 1000, kFail), Acquire(1, 4, 5, 2),
        Renew(0, 6, 7, 1)},
       K{{"L1", 1}, {"L4", 1}},
       false},
      {"no times: tokens go down",
       kNoTime,
       {Acquire(0, 0, 1, 5), Release(0, 2, 3, 5), Acquire(1, 4, 5, 3)},
       K{{"L2", 1}},
       false},
      {"no times: no ttl is measured, so no renew is late",
       kNoTime,
       {Acquire(0, 0, 1, 1, 0.001), Renew(0, 100, 101, 1, 0.001)},
       {},
       false},
  };
}

std::vector<Case> CheckpointCases() {
  using K = std::map<std::string, int>;
  const int64_t lowest = std::numeric_limits<int64_t>::min();
  return {
      {"a read after an acknowledgement sees it",
       kCheckpointRead,
       {Checkpoint(0, 0, 1, 7), SeqRead(1, 2, 3, 7)},
       {}},
      {"a read after an acknowledgement sees less",
       kCheckpointRead,
       {Checkpoint(0, 0, 1, 4), Checkpoint(0, 2, 3, 7), SeqRead(1, 4, 5, 4)},
       K{{"C1", 1}}},
      {"a read concurrent with the checkpoint sees less",
       kOkInstant,
       {Checkpoint(0, 0, 5, 7), SeqRead(1, 2, 3, std::nullopt)},
       {}},
      {"a read of nothing after an acknowledgement",
       kCheckpointRead,
       {Checkpoint(0, 0, 1, 7), SeqRead(1, 2, 3, std::nullopt)},
       K{{"C1", 1}}},
      {"a read of nothing after seq -2^63 was acknowledged",
       kCheckpointRead,
       {Checkpoint(0, 0, 1, lowest), SeqRead(1, 2, 3, std::nullopt)},
       K{{"C1", 1}}},
      {"a read of a refused checkpoint's seq",
       kCheckpoint,
       {Checkpoint(0, 0, 1, 3, kFail), SeqRead(1, 2, 3, 3)},
       K{{"C2", 1}}},
      {"a read of a seq nobody wrote",
       kCheckpointRead,
       {Checkpoint(0, 0, 1, 1), SeqRead(1, 2, 3, 9)},
       K{{"C2", 1}}},
      {"a read of a seq written only later",
       kOkInstant,
       {SeqRead(1, 0, 1, 1), Checkpoint(0, 2, 3, 1)},
       K{{"C2", 1}}},
      {"an indeterminate checkpoint seen later",
       kIndeterminate,
       {Checkpoint(0, 0, -1, 1, kInfo), SeqRead(1, 2, 3, std::nullopt), SeqRead(2, 4, 5, 1)},
       {}},
      {"acknowledged seqs go down",
       kCheckpoint,
       {Checkpoint(0, 0, 1, 5), Checkpoint(0, 2, 3, 4)},
       K{{"C3", 1}}},
      {"one seq acknowledged twice",
       kCheckpoint,
       {Checkpoint(0, 0, 5, 5), Checkpoint(1, 1, 2, 5)},
       K{{"C3", 1}}},
      {"a lower seq refused after a higher one",
       kCheckpoint,
       {Checkpoint(0, 0, 1, 5), Checkpoint(0, 2, 3, 4, kFail), SeqRead(1, 4, 5, 5)},
       {}},
      {"reads go backwards in real time",
       kCheckpointRead,
       {Checkpoint(0, 0, 1, 1), Checkpoint(0, 2, 10, 2), SeqRead(1, 3, 4, 2), SeqRead(2, 5, 6, 1)},
       K{{"C4", 1}}},
      {"concurrent reads disagree",
       kOkInstant,
       {Checkpoint(0, 0, 1, 1), Checkpoint(0, 2, 10, 2), SeqRead(1, 3, 6, 2), SeqRead(2, 5, 7, 1)},
       {}},
      {"no times: a lost acknowledgement",
       kNoTime,
       {Checkpoint(0, 0, 1, 4), Checkpoint(0, 2, 3, 7), SeqRead(1, 4, 5, 4)},
       K{{"C1", 1}},
       false},
      {"no times: reads in order",
       kNoTime,
       {Checkpoint(0, 0, 1, 7), SeqRead(1, 2, 3, 7), Checkpoint(0, 4, 5, 8), SeqRead(1, 6, 7, 8)},
       {},
       false},
  };
}

std::map<std::string, int> Kinds(const CheckResult& r) {
  std::map<std::string, int> out;
  for (const auto& [kind, count] : r.counts) {
    if (count > 0) out[kind] = static_cast<int>(count);
  }
  return out;
}

void Expect(const Case& c, const char* workload) {
  history::History h = testing::MakeHistory(
      c.ops, {},
      Json{{"format", "jepsen-history/1"}, {"workload", workload}, {"options", c.options}});
  if (!c.timed) h = testing::WithoutTimes(h);
  Result<CheckResult> r =
      std::string(workload) == "leases" ? lease::Check(h, {}) : checkpoint::Check(h, {});
  ASSERT_TRUE(r.ok()) << c.name << ": " << r.message();
  EXPECT_EQ(Kinds(*r), c.kinds) << c.name << "\n  spec: " << c.spec << "\n" << r->explanation;
  EXPECT_EQ(r->verdict, c.kinds.empty() ? Verdict::kValid : Verdict::kInvalid) << c.name;
}

TEST(SpecCases, Leases) {
  const std::vector<Case> cases = LeaseCases();
  EXPECT_GE(cases.size(), 40u);
  for (const Case& c : cases) Expect(c, "leases");
}

TEST(SpecCases, Checkpoints) {
  for (const Case& c : CheckpointCases()) Expect(c, "checkpoints");
}

}  // namespace
}  // namespace jepsen::checker
