#include "checker/lease/holds.h"

#include <algorithm>

namespace jepsen::checker::lease {

using history::EventType;

TokenIndex IndexTokens(const Resource& resource) {
  TokenIndex index;
  for (uint32_t g = 0; g < resource.grants.size(); ++g) {
    index[resource.grants[g].token].push_back(g);
  }
  for (auto& [token, grants] : index) {
    std::stable_sort(grants.begin(), grants.end(), [&](uint32_t a, uint32_t b) {
      return resource.grants[a].complete < resource.grants[b].complete;
    });
  }
  return index;
}

int32_t OwnerOf(const Resource& resource, const TokenIndex& tokens, int64_t token, int64_t time) {
  auto it = tokens.find(token);
  if (it == tokens.end()) return -1;
  // Usually one grant per token; duplicates are an L2 violation.
  const std::vector<uint32_t>& grants = it->second;
  auto after = std::upper_bound(grants.begin(), grants.end(), time, [&](int64_t t, uint32_t g) {
    return t < resource.grants[g].complete;
  });
  return after == grants.begin() ? -1 : static_cast<int32_t>(*(after - 1));
}

Holds ComputeHolds(const Resource& resource, const TokenIndex& tokens, const Clock& clock) {
  Holds holds;
  const size_t n = resource.grants.size();
  std::vector<std::vector<uint32_t>> renews(n);
  holds.renew_owner.resize(resource.renews.size(), -1);
  for (uint32_t i = 0; i < resource.renews.size(); ++i) {
    const TokenOp& r = resource.renews[i];
    const int32_t g = OwnerOf(resource, tokens, r.token, r.invoke);
    holds.renew_owner[i] = g;
    // Only a successful renew extends a hold: a failed or indeterminate one
    // leaves the holder no surer than before.
    if (g >= 0 && r.outcome == EventType::kOk) renews[g].push_back(i);
  }
  // The first release invocation, whatever its outcome, ends the hold: the
  // holder stops acting when it asks to release.
  std::vector<int64_t> cut(n, kNever);
  std::vector<uint32_t> cut_op(n, 0);
  holds.release_owner.resize(resource.releases.size(), -1);
  for (uint32_t i = 0; i < resource.releases.size(); ++i) {
    const TokenOp& r = resource.releases[i];
    const int32_t g = OwnerOf(resource, tokens, r.token, r.invoke);
    holds.release_owner[i] = g;
    if (g >= 0 && r.invoke < cut[g]) {
      cut[g] = r.invoke;
      cut_op[g] = r.op;
    }
  }
  for (uint32_t g = 0; g < n; ++g) {
    const Grant& grant = resource.grants[g];
    std::vector<Segment> mine;
    Segment cur{
        grant.complete, After(grant.invoke, clock.Hold(grant.ttl_ms)), g, grant.op, grant.op,
        false};
    for (uint32_t i : renews[g]) {  // in invocation order
      const TokenOp& r = resource.renews[i];
      if (r.invoke >= cut[g]) break;
      const int64_t end = After(r.invoke, clock.Hold(r.ttl_ms));
      if (r.invoke <= cur.end) {
        // A renew extends the hold from its own invocation, even one invoked
        // before the renew that reopened a lapsed hold had completed.
        if (r.invoke < cur.start) {
          cur.start = r.invoke;
          cur.start_op = r.op;
        }
        if (end > cur.end) {
          cur.end = end;
          cur.end_op = r.op;
        }
      } else {
        mine.push_back(cur);
        cur = Segment{r.complete, end, g, r.op, r.op, false};
      }
    }
    mine.push_back(cur);
    for (Segment& s : mine) {
      if (s.start >= cut[g]) break;
      if (s.end > cut[g]) {
        s.end = cut[g];
        s.end_op = cut_op[g];
        s.released = true;
      }
      if (s.start < s.end) holds.segments.push_back(s);
    }
  }
  return holds;
}

}  // namespace jepsen::checker::lease
