#include "checker/lease/explain.h"

#include <algorithm>
#include <cstdio>

#include "checker/describe.h"
#include "checker/graph/dependency_graph.h"
#include "checker/graph/time_text.h"

namespace jepsen::checker::lease {
namespace {

using graph::DependencyGraph;
using graph::EdgeKind;
using graph::Step;
using graph::Violation;
using history::EventType;
using history::History;
using history::Json;

std::string Number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", x);
  return buffer;
}

class Explainer {
 public:
  Explainer(const LeaseContext& c, const Candidate& candidate)
      : h_(*c.history),
        r_(c.ops->resources[candidate.resource]),
        state_((*c.states)[candidate.resource]),
        clock_(c.clock),
        clocks_(c.clocks),
        c_(candidate) {
    v_.key = r_.key;
  }

  Violation Run() {
    switch (c_.why) {
      case Why::kOverlap:
        Overlap();
        break;
      case Why::kTokenOrder:
        TokenOrder();
        break;
      case Why::kTokenDuplicate:
        TokenDuplicate();
        break;
      case Why::kStaleWrite:
        StaleWrite();
        break;
      case Why::kStaleRead:
        StaleRead();
        break;
      case Why::kUnknownToken:
        UnknownToken();
        break;
      case Why::kSuperseded:
        Superseded();
        break;
      case Why::kReleased:
        Released();
        break;
      case Why::kRaced:
        Raced();
        break;
      case Why::kExpired:
        Expired();
        break;
    }
    if (clocks_ != nullptr)
      v_.headline += ClockSkewText(h_, *clocks_, v_.window_from, v_.window_to);
    static constexpr const char* kKinds[] = {"L1", "L2", "L3", "L4"};
    v_.kind = kKinds[static_cast<int>(KindOf(c_.why))];
    return std::move(v_);
  }

 private:
  std::string Proc(uint32_t op) const { return ActorText(h_, h_.invocation(h_.ops[op]).process); }
  const std::string& F(uint32_t op) const { return h_.invocation(h_.ops[op]).f; }
  std::string At(int64_t t) const { return graph::At(h_, t); }
  std::pair<std::string, std::string> Pair(int64_t a, int64_t b) const {
    return graph::AtPair(h_, a, b);
  }
  int64_t Invoked(uint32_t op) const { return h_.invocation(h_.ops[op]).time; }
  int64_t Completed(uint32_t op) const { return h_.completion_time(h_.ops[op]); }
  const TokenOp& Token(uint32_t i, uint32_t is_release) const {
    return is_release ? r_.releases[i] : r_.renews[i];
  }

  // The cycle the graph finds among `edges`' ops; a cycle is what every
  // explanation built this way must show.

  // How a segment's end came about, for the reasons: "ended at ..." or
  // "ended, which it never did (...)".
  std::string EndText(const Segment& s) const {
    if (s.released) return "ended at " + At(s.end) + ", when its release was invoked";
    if (s.end == kNever) {
      return std::string("ended, which it never did (") +
             (clock_.timed ? "its ttl reaches past the clock's range)"
                           : "without clock times a lease lasts until it is released)");
    }
    const std::string at = "ended at " + At(s.end);
    if (!clock_.timed) return at + ", when a renew of it failed";
    if (F(s.end_op) == "acquire") {
      const Grant& g = r_.grants[s.grant];
      return at + " (acquire invoked at " + At(g.invoke) + " + " + Number(g.ttl_ms) +
             " ms * (1 - " + Number(clock_.drift) + "))";
    }
    const TokenOp& renew = RenewOp(s.end_op);
    return at + " (renewed at " + At(renew.invoke) + " + " + Number(renew.ttl_ms) + " ms * (1 - " +
           Number(clock_.drift) + "))";
  }
  const TokenOp& RenewOp(uint32_t op) const {
    return *std::find_if(r_.renews.begin(), r_.renews.end(),
                         [&](const TokenOp& t) { return t.op == op; });
  }
  std::string StartText(const Segment& s) const {
    if (F(s.start_op) == "acquire") return At(s.start) + " (its acquire completed)";
    return At(s.start) + " (a renew completed after its hold had lapsed)";
  }
  std::string Holder(const Segment& s) const {
    const Grant& g = r_.grants[s.grant];
    return ActorText(h_, h_.invocation(h_.ops[g.op]).process, "token " + std::to_string(g.token));
  }

  void Overlap() {
    const Segment& a = state_.holds.segments[c_.a];
    const Segment& b = state_.holds.segments[c_.b];
    const int64_t until = std::min(a.end, b.end);
    v_.title = "mutual exclusion";
    auto [from, to] = Pair(b.start, until);
    v_.headline = Holder(a) + " and " + Holder(b) + " both held the lease from " + from +
                  (until == kNever ? " on" : " to " + to);
    DependencyGraph g;
    g.AddEdge(a.start_op, b.start_op, EdgeKind::kLease,
              "the hold of " + Holder(a) + " began at " + StartText(a) + ", before the hold of " +
                  Holder(b) + " " + EndText(b) + ": so " + Proc(b.start_op) +
                  "'s hold cannot have come first");
    g.AddEdge(b.start_op, a.start_op, EdgeKind::kLease,
              "the hold of " + Holder(b) + " began at " + StartText(b) + ", before the hold of " +
                  Holder(a) + " " + EndText(a) + ": so " + Proc(a.start_op) +
                  "'s cannot have come first either; the holds overlap");
    v_.SetCycle(g);
    for (const Segment* s : {&a, &b}) {
      if (s->end_op != s->start_op) v_.related.push_back(s->end_op);
    }
    // Faults from the first hold's start: the one that let the second
    // holder in came before its grant.
    v_.SetWindow(a.start, until);
  }

  void TokenOrder() {
    const Grant& a = r_.grants[c_.a];
    const Grant& b = r_.grants[c_.b];
    v_.title = "fencing tokens";
    auto [done, asked] = Pair(a.complete, b.invoke);
    v_.headline = Proc(b.op) + " was granted token " + std::to_string(b.token) + " at " +
                  At(b.complete) + ", not above token " + std::to_string(a.token) + " granted to " +
                  Proc(a.op) + " at " + done + ", before " + Proc(b.op) + " asked at " + asked;
    DependencyGraph g;
    g.AddEdge(a.op, b.op, EdgeKind::kRealTime,
              Proc(a.op) + "'s acquire completed at " + done + ", before " + Proc(b.op) +
                  "'s was invoked at " + asked + ": it was granted first");
    g.AddEdge(b.op, a.op, EdgeKind::kToken,
              Proc(b.op) + " got token " + std::to_string(b.token) +
                  " <= " + std::to_string(a.token) +
                  ": by token order it was granted no later than " + Proc(a.op));
    v_.SetCycle(g);
    v_.SetWindow(a.complete, b.invoke);
  }

  void TokenDuplicate() {
    const Grant& a = r_.grants[c_.a];
    const Grant& b = r_.grants[c_.b];
    const std::string token = std::to_string(a.token);
    v_.title = "fencing tokens";
    v_.headline = Proc(a.op) + " and " + Proc(b.op) + " were both granted token " + token +
                  " (at " + At(a.complete) + " and " + At(b.complete) + ")";
    DependencyGraph g;
    g.AddEdge(a.op, b.op, EdgeKind::kToken,
              Proc(a.op) + "'s token " + token + " is not above " + Proc(b.op) +
                  "'s: by token order it was granted no later");
    g.AddEdge(b.op, a.op, EdgeKind::kToken,
              Proc(b.op) + "'s token " + token + " is not above " + Proc(a.op) +
                  "'s either: one token for two grants");
    v_.SetCycle(g);
    v_.SetWindow(std::min(a.invoke, b.invoke), std::max(a.complete, b.complete));
  }

  void StaleWrite() {
    const TokenOp& a = r_.writes[c_.a];
    const TokenOp& b = r_.writes[c_.b];
    v_.title = "storage fencing";
    auto [accepted, began] = Pair(a.complete, b.invoke);
    v_.headline = "the resource accepted " + Proc(b.op) + "'s write with token " +
                  std::to_string(b.token) + " (at " + At(b.complete) +
                  ") after it had accepted token " + std::to_string(a.token) + " from " +
                  Proc(a.op) + " at " + accepted + ", before that write began at " + began;
    DependencyGraph g;
    g.AddEdge(a.op, b.op, EdgeKind::kRealTime,
              Proc(a.op) + "'s write with token " + std::to_string(a.token) + " was accepted at " +
                  accepted + ", before " + Proc(b.op) + "'s write was invoked at " + began);
    g.AddEdge(b.op, a.op, EdgeKind::kToken,
              Proc(b.op) + "'s token " + std::to_string(b.token) + " < " + std::to_string(a.token) +
                  ": a fenced resource accepts it only before it has accepted token " +
                  std::to_string(a.token));
    v_.SetCycle(g);
    v_.SetWindow(a.complete, b.invoke);
  }

  // A read the fenced-register model cannot place. Shown as a cycle when the
  // usual shapes fit (a stale read, a read from the future), else as the
  // model check's own finding.
  void StaleRead() {
    const uint32_t r = c_.a;
    v_.title = "storage fencing";
    const history::Op& op = h_.ops[r];
    const Json& seen = h_.value(op);
    const int64_t began = Invoked(r);
    const int64_t ended = Completed(r);
    auto writes = [&](auto&& pred) {
      std::vector<uint32_t> out;
      for (uint32_t w = 0; w < r_.writes.size(); ++w) {
        if (pred(r_.writes[w])) out.push_back(w);
      }
      return out;
    };
    auto wrote = [&](const TokenOp& w) {
      const Json& v = h_.invocation(h_.ops[w.op]).value;
      return seen.is_object() && w.token == seen.value("token", INT64_MIN) &&
             v.value("value", Json()) == seen.value("value", Json());
    };
    if (F(r) != "read" || op.outcome != EventType::kOk) {
      return ModelFinding(r);
    }
    // The accepted write that completed before the read began with the
    // highest token: a state the read may no longer miss.
    int64_t latest = -1;
    for (uint32_t w = 0; w < r_.writes.size(); ++w) {
      const TokenOp& t = r_.writes[w];
      if (t.outcome == EventType::kOk && t.complete < began &&
          (latest < 0 || t.token > r_.writes[latest].token)) {
        latest = w;
      }
    }
    std::vector<uint32_t> writers = writes([&](const TokenOp& w) {
      return w.outcome != EventType::kFail && wrote(w) && w.invoke <= ended;
    });
    if (seen.is_null() && latest >= 0) {
      return Stale(r_.writes[latest], r, "null", "null, the state before any write");
    }
    if (!seen.is_null() && writers.empty()) {
      std::vector<uint32_t> later =
          writes([&](const TokenOp& w) { return w.outcome != EventType::kFail && wrote(w); });
      if (!later.empty()) {
        const TokenOp& w = r_.writes[later.front()];
        auto [end, start] = Pair(ended, w.invoke);
        v_.headline = Proc(r) + "'s read returned " + seen.dump() + ", which " + Proc(w.op) +
                      " wrote only later, at " + start;
        DependencyGraph g;
        g.AddEdge(r, w.op, EdgeKind::kRealTime,
                  "the read completed at " + end + ", before the write was invoked at " + start);
        g.AddEdge(w.op, r, EdgeKind::kWr, "the read observed what the write wrote");
        v_.SetCycle(g);
        v_.SetWindow(ended, w.invoke);
        return;
      }
      std::vector<uint32_t> refused = writes([&](const TokenOp& w) { return wrote(w); });
      if (!refused.empty()) {
        const TokenOp& w = r_.writes[refused.front()];
        v_.headline =
            Proc(r) + "'s read returned " + seen.dump() + ", which only a refused write wrote";
        v_.steps = {Step{w.op, EdgeKind::kWr,
                         "the resource refused this write (fail): it never "
                         "took effect, yet the read observed it"},
                    Step{r, EdgeKind::kWr, "returned " + seen.dump()}};
        v_.cycle = false;
        v_.SetWindow(w.invoke, ended);
        return;
      }
      v_.headline = Proc(r) + "'s read returned " + seen.dump() + ", which no write wrote";
      v_.steps = {Step{r, EdgeKind::kWr, "no write of " + seen.dump() + " was ever invoked"}};
      v_.cycle = false;
      v_.SetWindow(began, ended);
      return;
    }
    if (latest >= 0 && !writers.empty()) {
      const TokenOp& w = r_.writes[latest];
      const bool superseded = std::all_of(writers.begin(), writers.end(), [&](uint32_t x) {
        const TokenOp& t = r_.writes[x];
        return w.token > t.token || (w.token == t.token && t.complete < w.invoke);
      });
      if (superseded) {
        return Stale(w, r, seen.dump(), seen.dump() + ", which that write had superseded");
      }
    }
    ModelFinding(r);
  }

  void Stale(const TokenOp& w, uint32_t r, const std::string& seen, const std::string& what) {
    auto [accepted, began] = Pair(w.complete, Invoked(r));
    v_.headline = Proc(r) + "'s read (at " + began + ") returned " + seen +
                  ", but the resource had accepted token " + std::to_string(w.token) + " from " +
                  Proc(w.op) + " at " + accepted + ", before the read began";
    DependencyGraph g;
    g.AddEdge(w.op, r, EdgeKind::kRealTime,
              "the write with token " + std::to_string(w.token) + " was accepted at " + accepted +
                  ", before the read began at " + began);
    g.AddEdge(r, w.op, EdgeKind::kRw,
              "the read returned " + what + ": it read a state from before the write took effect");
    v_.SetCycle(g);
    v_.SetWindow(w.complete, Invoked(r));
  }

  void ModelFinding(uint32_t r) {
    v_.headline = Proc(r) + "'s " + F(r) + " cannot be linearized against a fenced register";
    v_.steps = {Step{r, EdgeKind::kRw,
                     "no order of the resource's writes and reads explains it; the longest "
                     "linearizable prefix leaves the register at " +
                         c_.note}};
    v_.cycle = false;
    v_.SetWindow(Invoked(r), Completed(r));
  }

  std::string TokenOpText(const TokenOp& t, uint32_t is_release) const {
    return Proc(t.op) + "'s " + (is_release ? "release" : "renew") + " of token " +
           std::to_string(t.token);
  }

  void UnknownToken() {
    const TokenOp& t = Token(c_.a, c_.c);
    v_.title = "lease lifecycle";
    v_.headline = TokenOpText(t, c_.c) +
                  " succeeded, but no acquire on this resource had been "
                  "granted token " +
                  std::to_string(t.token) + " by " + At(t.invoke);
    v_.steps = {Step{t.op, EdgeKind::kLease,
                     "no holder had token " + std::to_string(t.token) + " when it began"}};
    v_.cycle = false;
    v_.SetWindow(t.invoke, t.complete);
  }

  void Superseded() {
    const TokenOp& t = Token(c_.a, c_.c);
    const Grant& mine = r_.grants[c_.d];
    const Grant& later = r_.grants[c_.b];
    v_.title = "lease lifecycle";
    auto [granted, began] = Pair(later.complete, t.invoke);
    v_.headline = TokenOpText(t, c_.c) + " succeeded (at " + At(t.complete) + "), but " +
                  Proc(later.op) + " had been granted token " + std::to_string(later.token) +
                  " at " + granted + ", after " + Proc(mine.op) + "'s grant and before the " +
                  (c_.c ? "release" : "renew") + " began at " + began;
    DependencyGraph g;
    g.AddEdge(later.op, t.op, EdgeKind::kRealTime,
              Proc(later.op) + "'s acquire completed at " + granted + ", before the " +
                  (c_.c ? "release" : "renew") + " began at " + began);
    auto [mine_done, later_asked] = Pair(mine.complete, later.invoke);
    g.AddEdge(t.op, later.op, EdgeKind::kLease,
              std::string("it succeeded, so token ") + std::to_string(t.token) +
                  " was still current when it took effect: before " + Proc(later.op) +
                  "'s acquire (invoked at " + later_asked + ", after token " +
                  std::to_string(mine.token) + " was granted at " + mine_done + ") replaced it");
    v_.SetCycle(g);
    v_.related.push_back(mine.op);
    v_.SetWindow(later.complete, t.invoke);
  }

  void Released() {
    const TokenOp& t = Token(c_.a, c_.c);
    const TokenOp& rel = r_.releases[c_.b];
    v_.title = "lease lifecycle";
    auto [released, began] = Pair(rel.complete, t.invoke);
    v_.headline = TokenOpText(t, c_.c) + " succeeded, but token " + std::to_string(t.token) +
                  " had been released at " + released + ", before it began at " + began;
    DependencyGraph g;
    g.AddEdge(rel.op, t.op, EdgeKind::kRealTime,
              "the release of token " + std::to_string(rel.token) + " completed at " + released +
                  ", before the " + (c_.c ? "release" : "renew") + " began at " + began);
    g.AddEdge(t.op, rel.op, EdgeKind::kLease,
              std::string("it succeeded, so token ") + std::to_string(t.token) +
                  " was still current when it took effect: before its release");
    v_.SetCycle(g);
    v_.related.push_back(r_.grants[c_.d].op);
    v_.SetWindow(rel.complete, t.invoke);
  }

  // A renew and a grant that raced: whichever the store took first, the
  // lease was not exclusive.
  void Raced() {
    const TokenOp& t = Token(c_.a, 0);
    const Grant& mine = r_.grants[c_.d];
    const Grant& later = r_.grants[c_.b];
    const int64_t held = state_.holds.first_start[c_.b];
    v_.title = "lease lifecycle";
    const std::vector<std::string> at =
        graph::AtEach(h_, {t.invoke, t.complete, later.invoke, later.complete});
    v_.headline = TokenOpText(t, 0) + " succeeded (" + at[0] + " .. " + at[1] + ") while " +
                  Proc(later.op) + "'s acquire was granted token " + std::to_string(later.token) +
                  " (" + at[2] + " .. " + at[3] +
                  "): whichever took effect first, the lease was not exclusive";
    DependencyGraph g;
    auto [mine_done, later_asked] = Pair(mine.complete, later.invoke);
    g.AddEdge(t.op, later.op, EdgeKind::kLease,
              "the renew succeeded, so token " + std::to_string(t.token) +
                  " was still current when it took effect: before " + Proc(later.op) +
                  "'s acquire (invoked at " + later_asked + ", after token " +
                  std::to_string(mine.token) + " was granted at " + mine_done + ") replaced it");
    const std::string until =
        c_.at == kNever ? std::string("for good") : "until " + Pair(held, c_.at).second;
    g.AddEdge(later.op, t.op, EdgeKind::kLease,
              "but had the renew come first, the lease was " + Proc(t.op) + "'s " + until +
                  ", and " + Proc(later.op) + " held it from " + At(held) +
                  ": the grant must have come first");
    v_.SetCycle(g);
    v_.related.push_back(mine.op);
    v_.SetWindow(std::min(t.invoke, later.invoke), std::max(t.complete, later.complete));
  }

  void Expired() {
    const TokenOp& t = Token(c_.a, 0);
    const uint32_t setter = c_.b;
    v_.title = "lease lifecycle";
    auto [bound, began] = Pair(c_.at, t.invoke);
    const double ttl = F(setter) == "acquire" ? r_.grants[c_.d].ttl_ms : RenewOp(setter).ttl_ms;
    v_.headline = TokenOpText(t, 0) + " began at " + began + ", after the lease had run out by " +
                  bound + " at the latest, yet it succeeded";
    v_.steps = {Step{setter, EdgeKind::kLease,
                     std::string(F(setter) == "acquire" ? "granted" : "renewed") + " by " +
                         At(Completed(setter)) + "; the lease lasted at most " + Number(ttl) +
                         " ms * (1 + " + Number(clock_.drift) + ") more, to " + bound},
                Step{t.op, EdgeKind::kLease,
                     "began at " + began + ", when no holder had token " + std::to_string(t.token) +
                         " any more, and succeeded"}};
    v_.cycle = false;
    v_.SetWindow(c_.at, t.invoke);
  }

  const History& h_;
  const Resource& r_;
  const ResourceState& state_;
  const Clock& clock_;
  const std::vector<ClockChange>* clocks_;
  const Candidate& c_;
  Violation v_;
};

}  // namespace

Violation Explain(const LeaseContext& context, const Candidate& candidate) {
  return Explainer(context, candidate).Run();
}

}  // namespace jepsen::checker::lease
