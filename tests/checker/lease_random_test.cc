// The lease sweeps against a brute-force oracle on small random histories:
// L1 by testing every instant for two holders at once, L2-L4 by checking
// every pair of ops against the definitions. Two shapes of history: ops
// scattered at random, and holders that acquire, renew (longer and shorter)
// and release in turn; each also without clock times (line numbers only).
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>

#include "checker/lease/lease.h"
#include "tests/support/history_maker.h"

namespace jepsen::checker::lease {
namespace {

using history::EventType;
using history::Json;
using testing::MakeHistory;
using testing::TestOp;
using testing::WithoutTimes;

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

struct Op {
  size_t index;
  std::string f;
  EventType outcome;
  int64_t invoke, complete;
  int64_t token;
  int64_t ttl;  // ns
};

struct Oracle {
  std::vector<Op> grants, renews, releases, writes;
  bool timed = true;   // false: times are line numbers, no ttl is measured
  int64_t unit = kMs;  // every time is a multiple of it

  // The latest grant of `token` completed by `time` (ties: the later one), or -1.
  int Owner(int64_t token, int64_t time) const {
    int best = -1;
    for (size_t g = 0; g < grants.size(); ++g) {
      if (grants[g].token != token || grants[g].complete > time) continue;
      if (best < 0 || std::pair(grants[g].complete, g) >=
                          std::pair(grants[best].complete, static_cast<size_t>(best))) {
        best = static_cast<int>(g);
      }
    }
    return best;
  }

  // The first release invocation of grant g's token, or kNever.
  int64_t Cut(size_t g) const {
    int64_t cut = kNever;
    for (const Op& r : releases) {
      if (Owner(r.token, r.invoke) == static_cast<int>(g)) cut = std::min(cut, r.invoke);
    }
    return cut;
  }

  // Which slots [u, u+1) * unit grant g's holder may act in (drift 0). The
  // holder is sure only of the earliest end among the renews that may have
  // taken effect last; a renew invoked when the hold had lapsed starts a new
  // stretch at its completion. Without a clock, a failed renew ends a stretch.
  std::vector<bool> Slots(size_t g, int64_t horizon) const {
    std::vector<bool> held(horizon / unit, false);
    const int64_t cut = Cut(g);
    std::vector<const Op*> ok;  // so far
    std::vector<std::pair<int64_t, int64_t>> stretches;
    int64_t start = grants[g].complete, end = grants[g].invoke + grants[g].ttl;
    for (const Op& r : renews) {
      if (Owner(r.token, r.invoke) != static_cast<int>(g) || r.invoke >= cut) continue;
      if (r.outcome == EventType::kFail && !timed && r.invoke < end) {
        end = std::max(r.invoke, start);
      }
      if (r.outcome != EventType::kOk) continue;
      ok.push_back(&r);
      int64_t sure = kNever;
      for (const Op* q : ok) {
        bool followed = false;
        for (const Op* b : ok) followed |= q->complete < b->invoke;
        if (!followed) sure = std::min(sure, q->invoke + q->ttl);
      }
      if (start <= r.invoke && r.invoke < end) {
        end = sure;
      } else if (r.invoke < start) {
        start = std::min(start, r.complete);
        end = sure;
      } else {
        stretches.emplace_back(start, end);
        start = r.complete;
        end = sure;
      }
    }
    stretches.emplace_back(start, end);
    for (auto [from, to] : stretches) {
      for (int64_t u = from / unit; u < std::min(to, cut) / unit && u < horizon / unit; ++u) {
        if (u >= 0) held[u] = true;
      }
    }
    return held;
  }

  // The first instant grant g's holder held, or kNever.
  int64_t FirstHeld(size_t g, int64_t horizon) const {
    const std::vector<bool> held = Slots(g, horizon);
    for (size_t u = 0; u < held.size(); ++u) {
      if (held[u]) return static_cast<int64_t>(u) * unit;
    }
    return kNever;
  }

  bool L1(int64_t horizon) const {
    std::vector<int> holders(horizon / unit, 0);
    for (size_t g = 0; g < grants.size(); ++g) {
      const std::vector<bool> held = Slots(g, horizon);
      for (size_t u = 0; u < held.size(); ++u) holders[u] += held[u];
    }
    return std::any_of(holders.begin(), holders.end(), [](int n) { return n > 1; });
  }

  size_t L2() const {
    size_t n = 0;
    for (size_t b = 0; b < grants.size(); ++b) {
      bool bad = false;
      for (size_t a = 0; a < grants.size(); ++a) {
        if (a == b) continue;
        if (grants[a].complete < grants[b].invoke && grants[a].token >= grants[b].token) {
          bad = true;
        }
        if (grants[a].token == grants[b].token &&
            std::pair(grants[a].complete, a) < std::pair(grants[b].complete, b)) {
          bad = true;
        }
      }
      n += bad;
    }
    return n;
  }

  size_t L3() const {
    size_t n = 0;
    for (const Op& b : writes) {
      if (b.outcome != EventType::kOk) continue;
      bool bad = false;
      for (const Op& a : writes) {
        if (a.outcome == EventType::kOk && a.complete < b.invoke && a.token > b.token) bad = true;
      }
      n += bad;
    }
    return n;
  }

  size_t L4(int64_t horizon) const {
    size_t n = 0;
    auto bad = [&](const Op& r, bool is_release) {
      const int g = Owner(r.token, r.invoke);
      if (g < 0) return true;
      const Op& grant = grants[g];
      for (const Op& b : grants) {
        if (b.invoke > grant.complete && b.complete < r.invoke) return true;
      }
      for (const Op& x : releases) {
        if (&x != &r && x.outcome == EventType::kOk && Owner(x.token, x.invoke) == g &&
            x.complete < r.invoke) {
          return true;
        }
      }
      if (is_release) return false;
      // A grant certainly after g's, concurrent with the renew: had it come
      // first, the renew renewed a superseded token; had the renew come
      // first, the grant's holder held while the renewed lease still ran.
      for (size_t k = 0; k < grants.size(); ++k) {
        const Op& b = grants[k];
        if (b.invoke <= grant.complete || b.invoke > r.complete || b.token == r.token) continue;
        int64_t end = std::min(r.invoke + r.ttl, Cut(g));
        for (const Op& x : renews) {
          if (&x == &r || Owner(x.token, x.invoke) != g || x.complete < r.invoke ||
              x.invoke > b.complete) {
            continue;
          }
          if (x.outcome == EventType::kOk) end = std::min(end, x.invoke + x.ttl);
          if (x.outcome == EventType::kFail && !timed) end = std::min(end, x.invoke);
        }
        if (FirstHeld(k, horizon) < end) return true;
      }
      // Expired: after the latest end among the grant and the other ok
      // renews that may have been the last to take effect before this one.
      std::vector<const Op*> before;  // ok renews of g certainly before r
      std::vector<const Op*> maybe;   // ok renews of g that may precede r
      for (const Op& x : renews) {
        if (&x == &r || x.outcome != EventType::kOk || Owner(x.token, x.invoke) != g ||
            x.invoke > r.complete) {
          continue;
        }
        maybe.push_back(&x);
        if (x.complete < r.invoke) before.push_back(&x);
      }
      int64_t bound = std::numeric_limits<int64_t>::min();
      if (before.empty()) bound = grant.complete + grant.ttl;
      for (const Op* c : maybe) {
        bool last = true;
        for (const Op* d : before) last &= d == c || c->complete >= d->invoke;
        if (last) bound = std::max(bound, c->complete + c->ttl);
      }
      return r.invoke > bound;
    };
    for (const Op& r : renews) n += r.outcome == EventType::kOk && bad(r, false);
    for (const Op& r : releases) n += r.outcome == EventType::kOk && bad(r, true);
    return n;
  }
};

// Ops at random times, naming random tokens.
std::vector<TestOp> Scattered(std::mt19937& rng) {
  std::vector<TestOp> ops;
  const int n = 1 + static_cast<int>(rng() % 10);
  std::vector<int64_t> tokens = {1};
  for (int i = 0; i < n; ++i) {
    TestOp op;
    op.process = i;
    op.key = "x";
    op.call = (rng() % 30) * kMs;
    op.ret = op.call + static_cast<int64_t>(rng() % 5) * kMs;
    const int o = static_cast<int>(rng() % 8);
    op.outcome = o < 5 ? EventType::kOk : o < 7 ? EventType::kFail : EventType::kInfo;
    const int64_t token =
        rng() % 3 == 0 ? static_cast<int64_t>(rng() % 5) : tokens[rng() % tokens.size()];
    const int64_t ttl = 1 + rng() % 12;  // ms
    switch (rng() % 4) {
      case 0:
        op.f = "acquire";
        op.value = Json{{"ttl_ms", ttl}};
        op.result = Json{{"token", token + static_cast<int64_t>(rng() % 2)}};
        tokens.push_back(op.result["token"].get<int64_t>());
        break;
      case 1:
        op.f = "renew";
        op.value = Json{{"token", token}, {"ttl_ms", ttl}};
        break;
      case 2:
        op.f = "release";
        op.value = Json{{"token", token}};
        break;
      default:
        op.f = "write";
        op.value = Json{{"token", token}, {"value", i}};
        break;
    }
    ops.push_back(op);
  }
  return ops;
}

// Two or three clients, each acquiring, renewing with longer and shorter
// ttls, writing and releasing in turn, now and then with another's token.
std::vector<TestOp> Holders(std::mt19937& rng) {
  std::vector<TestOp> ops;
  const int clients = 2 + static_cast<int>(rng() % 2);
  int64_t next_token = 1;
  for (int c = 0; c < clients; ++c) {
    int64_t t = (rng() % 12) * kMs;
    int64_t token = 0;
    const int n = 2 + static_cast<int>(rng() % 5);
    for (int i = 0; i < n; ++i) {
      TestOp op;
      op.process = c;
      op.key = "x";
      op.call = t;
      op.ret = t + static_cast<int64_t>(rng() % 3) * kMs;
      t = op.ret + static_cast<int64_t>(1 + rng() % 4) * kMs;
      const int o = static_cast<int>(rng() % 10);
      op.outcome = o < 8 ? EventType::kOk : o < 9 ? EventType::kFail : EventType::kInfo;
      const int64_t ttl = 1 + rng() % 12;  // ms
      const int64_t named = rng() % 6 == 0 ? static_cast<int64_t>(1 + rng() % 4) : token;
      if (i == 0 || token == 0) {
        op.f = "acquire";
        op.value = Json{{"ttl_ms", ttl}};
        op.result = Json{{"token", rng() % 8 == 0 ? next_token - 1 : next_token}};
        if (op.outcome == EventType::kOk) token = next_token++;
      } else if (i == n - 1) {
        op.f = "release";
        op.value = Json{{"token", named}};
      } else if (rng() % 4 == 0) {
        op.f = "write";
        op.value = Json{{"token", named}, {"value", i}};
      } else {
        op.f = "renew";
        op.value = Json{{"token", named}, {"ttl_ms", ttl}};
      }
      ops.push_back(op);
      if (op.outcome == EventType::kInfo) break;
    }
  }
  return ops;
}

Oracle OracleOf(const history::History& h) {
  Oracle oracle;
  oracle.timed = h.has_time;
  oracle.unit = h.has_time ? kMs : 1;
  for (const history::Op& op : h.ops) {
    const history::Event& inv = h.invocation(op);
    Op o{0,
         inv.f,
         op.outcome,
         inv.time,
         op.outcome == EventType::kInfo ? kNever : h.completion(op)->time,
         0,
         0};
    // Without a clock no lease runs out: a ttl longer than any history.
    if (inv.value.contains("ttl_ms")) {
      o.ttl = h.has_time ? inv.value["ttl_ms"].get<int64_t>() * kMs : kNever / 4;
    }
    if (inv.f == "acquire") {
      if (op.outcome != EventType::kOk) continue;
      o.token = h.value(op)["token"].get<int64_t>();
      o.index = oracle.grants.size();
      oracle.grants.push_back(o);
      continue;
    }
    o.token = inv.value["token"].get<int64_t>();
    (inv.f == "renew"     ? oracle.renews
     : inv.f == "release" ? oracle.releases
                          : oracle.writes)
        .push_back(o);
  }
  return oracle;
}

// Checks `h` against the oracle; returns whether it is invalid.
bool AgreesWithBruteForce(const history::History& h, int round) {
  const Oracle oracle = OracleOf(h);
  const int64_t horizon = h.has_time ? 60 * kMs : static_cast<int64_t>(h.events.size()) + 4;
  Result<CheckResult> r = Check(h, {});
  EXPECT_TRUE(r.ok()) << r.message();
  if (!r.ok()) return false;
  const Json counts = DetailsJson(*r)["counts"];
  const std::string where = "round " + std::to_string(round) +
                            (h.has_time ? "" : " (without times)") + ": " + r->explanation;
  EXPECT_EQ(counts["L1"].get<size_t>() > 0, oracle.L1(horizon)) << where;
  EXPECT_EQ(counts["L2"].get<size_t>(), oracle.L2()) << where;
  EXPECT_EQ(counts["L3"].get<size_t>(), oracle.L3()) << where;
  EXPECT_EQ(counts["L4"].get<size_t>(), oracle.L4(horizon)) << where;
  const Json details = DetailsJson(*r);
  for (const Json& v : details["violations"]) {
    EXPECT_FALSE(v["steps"].empty()) << v.dump();
    if (v["cycle"].get<bool>()) {
      EXPECT_GE(v["steps"].size(), 2u);
    }
  }
  return r->verdict == Verdict::kInvalid;
}

void RunRounds(std::vector<TestOp> (*shape)(std::mt19937&), unsigned seed) {
  std::mt19937 rng(seed);
  const int rounds = 2000;
  int invalid = 0, invalid_without_times = 0;
  for (int round = 0; round < rounds; ++round) {
    history::History h =
        MakeHistory(shape(rng), {}, Json{{"workload", "leases"}, {"options", {{"drift", 0}}}});
    invalid += AgreesWithBruteForce(h, round);
    invalid_without_times += AgreesWithBruteForce(WithoutTimes(h), round);
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(invalid, rounds / 10);
  EXPECT_LT(invalid, rounds * 19 / 20);
  EXPECT_GT(invalid_without_times, rounds / 10);
  EXPECT_LT(invalid_without_times, rounds * 19 / 20);
}

TEST(LeaseRandom, ScatteredOpsAgreeWithBruteForce) { RunRounds(Scattered, 99); }

TEST(LeaseRandom, HoldersAgreeWithBruteForce) { RunRounds(Holders, 7); }

}  // namespace
}  // namespace jepsen::checker::lease
