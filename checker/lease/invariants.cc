#include "checker/lease/invariants.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <span>

#include "checker/graph/precedence.h"

namespace jepsen::checker::lease {
namespace {

using graph::MaxCompletedBefore;
using graph::TimedValue;
using history::EventType;

// L1: sweep the segments by start, keeping the one that reaches furthest; a
// segment that starts before it ends overlaps it. Each segment that begins
// while another holder's still runs is one violation.
void FindOverlaps(const ResourceState& state, uint32_t index, std::vector<Candidate>& out) {
  const std::vector<Segment>& segments = state.holds.segments;
  std::vector<uint32_t> order(segments.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return segments[a].start != segments[b].start ? segments[a].start < segments[b].start
                                                  : segments[a].end > segments[b].end;
  });
  int64_t furthest = -1;
  for (uint32_t s : order) {
    // A grant's own segments never overlap, so `furthest` is another's here.
    if (furthest >= 0 && segments[s].start < segments[furthest].end &&
        segments[s].grant != segments[furthest].grant) {
      out.push_back(Candidate{Why::kOverlap, index, static_cast<uint32_t>(furthest), s});
      out.back().time = segments[s].start;
    }
    if (furthest < 0 || segments[s].end > segments[furthest].end) furthest = s;
  }
}

// L2: tokens strictly increase in real-time grant order, and are unique.
void FindTokenViolations(const Resource& r, const ResourceState& state, uint32_t index,
                         std::vector<Candidate>& out) {
  std::vector<TimedValue> grants;
  grants.reserve(r.grants.size());
  for (const Grant& g : r.grants) grants.push_back({g.invoke, g.complete, g.token});
  std::vector<int64_t> before = MaxCompletedBefore(grants, grants);
  std::vector<bool> flagged(r.grants.size(), false);
  for (uint32_t b = 0; b < r.grants.size(); ++b) {
    const int64_t a = before[b];
    if (a >= 0 && r.grants[a].token >= r.grants[b].token) {
      out.push_back(Candidate{Why::kTokenOrder, index, static_cast<uint32_t>(a), b});
      out.back().time = r.grants[b].complete;
      flagged[b] = true;
    }
  }
  for (const auto& [token, same] : state.tokens) {
    if (same.size() < 2) continue;
    // `same` is in completion order: each later one duplicates the first.
    for (size_t i = 1; i < same.size(); ++i) {
      if (flagged[same[i]]) continue;
      out.push_back(Candidate{Why::kTokenDuplicate, index, same[0], same[i]});
      out.back().time = r.grants[same[i]].complete;
    }
  }
}

// L3, writes: an accepted write's token is never below one accepted before
// it began. (For writes alone this is exactly linearizability against the
// fenced register: order them by token, ties by real time.)
size_t FindStaleWrites(const Resource& r, uint32_t index, std::vector<Candidate>& out) {
  std::vector<TimedValue> ok;
  std::vector<uint32_t> which;
  for (uint32_t w = 0; w < r.writes.size(); ++w) {
    const TokenOp& t = r.writes[w];
    if (t.outcome != EventType::kOk) continue;  // refused writes are correct behaviour
    ok.push_back({t.invoke, t.complete, t.token});
    which.push_back(w);
  }
  std::vector<int64_t> before = MaxCompletedBefore(ok, ok);
  size_t found = 0;
  for (size_t b = 0; b < ok.size(); ++b) {
    if (before[b] >= 0 && ok[before[b]].value > ok[b].value) {
      out.push_back(Candidate{Why::kStaleWrite, index, which[before[b]], which[b]});
      out.back().time = ok[b].complete;
      ++found;
    }
  }
  return found;
}

// L4: only the current holder's token is renewed or released successfully.
void FindLifecycleViolations(const Resource& r, const ResourceState& state, const Clock& clock,
                             uint32_t index, std::vector<Candidate>& out) {
  const Holds& holds = state.holds;
  const size_t n = r.grants.size();
  // Grants are in invocation order; suffix_min[k] is the grant, among k..n-1,
  // that completed first: "was anything granted after t, before t'?".
  std::vector<uint32_t> suffix_min(n + 1, UINT32_MAX);
  for (size_t k = n; k-- > 0;) {
    const uint32_t next = suffix_min[k + 1];
    suffix_min[k] = next != UINT32_MAX && r.grants[next].complete <= r.grants[k].complete
                        ? next
                        : static_cast<uint32_t>(k);
  }
  // The first grant invoked after `g` completed: every grant from there on
  // was certainly granted after g.
  auto first_after = [&](const Grant& g) -> size_t {
    return std::upper_bound(r.grants.begin(), r.grants.end(), g.complete,
                            [](int64_t t, const Grant& x) { return t < x.invoke; }) -
           r.grants.begin();
  };
  auto later_grant = [&](const Grant& g, int64_t before) -> int64_t {
    const uint32_t k = suffix_min[first_after(g)];
    if (k == UINT32_MAX || r.grants[k].complete >= before) return -1;
    return k;
  };
  // Per grant: its first successful release.
  std::vector<int64_t> first_release(n, -1);
  for (uint32_t i = 0; i < r.releases.size(); ++i) {
    const int32_t g = holds.release_owner[i];
    if (g < 0 || r.releases[i].outcome != EventType::kOk) continue;
    if (first_release[g] < 0 || r.releases[i].complete < r.releases[first_release[g]].complete) {
      first_release[g] = i;
    }
  }

  // The latest the lease can have lasted when renew `t` (number `i`) took
  // effect: from the grant or any other successful renew that may have been
  // the last to take effect before it (none certainly came between), its
  // completion + ttl*(1+drift). Sets `set_by` to that op.
  auto lasted_until = [&](const TokenOp& t, uint32_t i, uint32_t g, uint32_t& set_by) {
    const std::span<const uint32_t> mine = holds.RenewsOf(g);
    // The two latest invocations among the renews certainly before `t`: a
    // candidate that completed before another's invocation was not last.
    int64_t first = std::numeric_limits<int64_t>::min(), second = first;
    uint32_t first_of = UINT32_MAX;
    for (uint32_t j : mine) {
      const TokenOp& x = r.renews[j];
      if (x.invoke > t.complete) break;
      if (j == i || x.outcome != EventType::kOk || x.complete >= t.invoke) continue;
      if (x.invoke > first) {
        second = first;
        first = x.invoke;
        first_of = j;
      } else if (x.invoke > second) {
        second = x.invoke;
      }
    }
    const Grant& grant = r.grants[g];
    int64_t bound = std::numeric_limits<int64_t>::min();
    if (first_of == UINT32_MAX) {  // no renew certainly came between
      bound = After(grant.complete, clock.Longest(grant.ttl_ms));
      set_by = grant.op;
    }
    for (uint32_t j : mine) {
      const TokenOp& x = r.renews[j];
      if (x.invoke > t.complete) break;
      if (j == i || x.outcome != EventType::kOk || x.complete < (j == first_of ? second : first)) {
        continue;
      }
      if (const int64_t end = After(x.complete, clock.Longest(x.ttl_ms)); end > bound) {
        bound = end;
        set_by = x.op;
      }
    }
    return bound;
  };

  // A grant `later` certainly after renew `t`'s grant `g`, concurrent with
  // `t`: if it took effect first, `t` renewed a superseded token; if `t`
  // did, the lease was g's holder's until `until` (below), and `later`'s
  // holder, holding from first_start, held it too. Returns -1 when no order
  // is ruled out, else the grant, with `until`.
  auto raced_grant = [&](const TokenOp& t, uint32_t i, uint32_t g, int64_t& until) -> int64_t {
    const std::span<const uint32_t> mine = holds.RenewsOf(g);
    for (size_t k = first_after(r.grants[g]); k < n && r.grants[k].invoke <= t.complete; ++k) {
      const Grant& later = r.grants[k];
      const int64_t held = holds.first_start[k];
      if (later.token == t.token || held == kNever) continue;
      // How long the renewed lease surely lasted: t's own ttl, cut short by
      // the release, by any other renew that may have come after t and
      // before the grant, and, without a clock, by a failed renew there.
      int64_t end = std::min(After(t.invoke, clock.Hold(t.ttl_ms)), holds.cut[g]);
      for (uint32_t j : mine) {
        const TokenOp& x = r.renews[j];
        if (x.invoke > later.complete) break;
        if (j == i || x.complete < t.invoke) continue;
        if (x.outcome == EventType::kOk) {
          end = std::min(end, After(x.invoke, clock.Hold(x.ttl_ms)));
        } else if (x.outcome == EventType::kFail && !clock.timed) {
          end = std::min(end, x.invoke);
        }
      }
      if (held < end) {
        until = end;
        return static_cast<int64_t>(k);
      }
    }
    return -1;
  };

  auto check = [&](const TokenOp& t, uint32_t i, uint32_t is_release, int32_t g) {
    Candidate c{Why::kUnknownToken, index, i, 0, is_release};
    c.time = t.complete;
    if (g < 0) {
      out.push_back(c);
      return;
    }
    c.d = static_cast<uint32_t>(g);
    const Grant& grant = r.grants[g];
    if (int64_t later = later_grant(grant, t.invoke); later >= 0) {
      c.why = Why::kSuperseded;
      c.b = static_cast<uint32_t>(later);
      out.push_back(c);
      return;
    }
    const int64_t rel = first_release[g];
    if (rel >= 0 && !(is_release && static_cast<uint32_t>(rel) == i) &&
        r.releases[rel].complete < t.invoke) {
      c.why = Why::kReleased;
      c.b = static_cast<uint32_t>(rel);
      out.push_back(c);
      return;
    }
    // A release that raced a grant may simply have come first.
    if (is_release) return;
    if (int64_t raced = raced_grant(t, i, static_cast<uint32_t>(g), c.at); raced >= 0) {
      c.why = Why::kRaced;
      c.b = static_cast<uint32_t>(raced);
      out.push_back(c);
      return;
    }
    uint32_t set_by = grant.op;
    const int64_t bound = lasted_until(t, i, static_cast<uint32_t>(g), set_by);
    if (t.invoke > bound) {
      c.why = Why::kExpired;
      c.b = set_by;
      c.at = bound;
      out.push_back(c);
    }
  };
  for (uint32_t i = 0; i < r.renews.size(); ++i) {
    if (r.renews[i].outcome == EventType::kOk) check(r.renews[i], i, 0, holds.renew_owner[i]);
  }
  for (uint32_t i = 0; i < r.releases.size(); ++i) {
    if (r.releases[i].outcome == EventType::kOk) {
      check(r.releases[i], i, 1, holds.release_owner[i]);
    }
  }
}

}  // namespace

Kind KindOf(Why why) {
  switch (why) {
    case Why::kOverlap:
      return Kind::kL1;
    case Why::kTokenOrder:
    case Why::kTokenDuplicate:
      return Kind::kL2;
    case Why::kStaleWrite:
    case Why::kStaleRead:
      return Kind::kL3;
    default:
      return Kind::kL4;
  }
}

ResourceState Analyze(const Resource& resource, const Clock& clock) {
  ResourceState state;
  state.tokens = IndexTokens(resource);
  state.holds = ComputeHolds(resource, state.tokens, clock);
  return state;
}

void FindViolations(const Resource& resource, const ResourceState& state, const Clock& clock,
                    uint32_t index, std::vector<Candidate>& out, size_t& stale_writes) {
  FindOverlaps(state, index, out);
  FindTokenViolations(resource, state, index, out);
  stale_writes = FindStaleWrites(resource, index, out);
  FindLifecycleViolations(resource, state, clock, index, out);
}

}  // namespace jepsen::checker::lease
