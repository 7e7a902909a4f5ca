// The lease sweeps against a brute-force oracle on small random histories:
// L1 by testing every instant for two holders at once, L2-L4 by checking
// every pair of ops against the definitions.
#include <gtest/gtest.h>

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

  // Whether grant g's holder may act at instant t (drift 0).
  bool Holding(size_t g, int64_t t) const {
    int64_t cut = kNever;
    for (const Op& r : releases) {
      if (Owner(r.token, r.invoke) == static_cast<int>(g)) cut = std::min(cut, r.invoke);
    }
    if (t >= cut) return false;
    const Op& a = grants[g];
    // Anchors: the acquire, then each ok renew in invocation order.
    int64_t end = a.invoke + a.ttl;
    bool held = t >= a.complete && t < end;
    for (const Op& r : renews) {  // in invocation order
      if (r.outcome != EventType::kOk || Owner(r.token, r.invoke) != static_cast<int>(g) ||
          r.invoke >= cut) {
        continue;
      }
      const int64_t start = r.invoke <= end ? r.invoke : r.complete;
      end = r.invoke <= end ? std::max(end, r.invoke + r.ttl) : r.invoke + r.ttl;
      held = held || (t >= start && t < r.invoke + r.ttl);
    }
    return held;
  }

  bool L1(int64_t horizon) const {
    for (int64_t t = kMs / 2; t < horizon; t += kMs) {
      int holders = 0;
      for (size_t g = 0; g < grants.size(); ++g) holders += Holding(g, t);
      if (holders > 1) return true;
    }
    return false;
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

  size_t L4() const {
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
      int64_t bound = grant.complete + grant.ttl;
      for (const Op& x : renews) {
        if (&x != &r && x.outcome == EventType::kOk && Owner(x.token, x.invoke) == g &&
            x.invoke <= r.complete) {
          bound = std::max(bound, x.complete + x.ttl);
        }
      }
      return r.invoke > bound;
    };
    for (const Op& r : renews) n += r.outcome == EventType::kOk && bad(r, false);
    for (const Op& r : releases) n += r.outcome == EventType::kOk && bad(r, true);
    return n;
  }
};

TEST(LeaseRandom, SweepsAgreeWithBruteForce) {
  std::mt19937 rng(99);
  size_t invalid = 0;
  for (int round = 0; round < 2000; ++round) {
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
    history::History h =
        MakeHistory(ops, {}, Json{{"workload", "leases"}, {"options", {{"drift", 0}}}});
    Oracle oracle;
    for (const history::Op& op : h.ops) {
      const history::Event& inv = h.invocation(op);
      Op o{0,
           inv.f,
           op.outcome,
           inv.time,
           op.outcome == EventType::kInfo ? kNever : h.completion(op)->time,
           0,
           0};
      if (inv.value.contains("ttl_ms")) o.ttl = inv.value["ttl_ms"].get<int64_t>() * kMs;
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
    Result<CheckResult> r = Check(h, {});
    ASSERT_TRUE(r.ok()) << r.message();
    const Json& counts = r->details["counts"];
    EXPECT_EQ(counts["L1"].get<size_t>() > 0, oracle.L1(60 * kMs))
        << "round " << round << ": " << r->explanation;
    EXPECT_EQ(counts["L2"].get<size_t>(), oracle.L2()) << "round " << round << r->explanation;
    EXPECT_EQ(counts["L3"].get<size_t>(), oracle.L3()) << "round " << round << r->explanation;
    EXPECT_EQ(counts["L4"].get<size_t>(), oracle.L4()) << "round " << round << r->explanation;
    invalid += r->verdict == Verdict::kInvalid;
    for (const Json& v : r->details["violations"]) {
      EXPECT_FALSE(v["steps"].empty()) << v.dump();
      if (v["cycle"].get<bool>()) {
        EXPECT_GE(v["steps"].size(), 2u);
      }
    }
    if (HasFailure()) break;
  }
  EXPECT_GT(invalid, 200u);
  EXPECT_LT(invalid, 1900u);
}

}  // namespace
}  // namespace jepsen::checker::lease
