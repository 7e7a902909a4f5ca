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

namespace {

// Renews per grant, in invocation order (Resource::renews is in that order).
void GroupRenews(const Resource& resource, const TokenIndex& tokens, Holds& holds) {
  const size_t n = resource.grants.size();
  holds.renew_owner.resize(resource.renews.size(), -1);
  holds.renew_begin.assign(n + 1, 0);
  for (uint32_t i = 0; i < resource.renews.size(); ++i) {
    const TokenOp& r = resource.renews[i];
    const int32_t g = OwnerOf(resource, tokens, r.token, r.invoke);
    holds.renew_owner[i] = g;
    if (g >= 0) ++holds.renew_begin[g + 1];
  }
  for (size_t g = 0; g < n; ++g) holds.renew_begin[g + 1] += holds.renew_begin[g];
  holds.renews_by_grant.resize(holds.renew_begin[n]);
  std::vector<uint32_t> next(holds.renew_begin.begin(), holds.renew_begin.end() - 1);
  for (uint32_t i = 0; i < resource.renews.size(); ++i) {
    if (const int32_t g = holds.renew_owner[i]; g >= 0) holds.renews_by_grant[next[g]++] = i;
  }
}

// The first release invocation, whatever its outcome, ends the hold: the
// holder stops acting when it asks to release.
void CutAtReleases(const Resource& resource, const TokenIndex& tokens, Holds& holds) {
  const size_t n = resource.grants.size();
  holds.cut.assign(n, kNever);
  holds.cut_op.assign(n, 0);
  holds.release_owner.resize(resource.releases.size(), -1);
  for (uint32_t i = 0; i < resource.releases.size(); ++i) {
    const TokenOp& r = resource.releases[i];
    const int32_t g = OwnerOf(resource, tokens, r.token, r.invoke);
    holds.release_owner[i] = g;
    if (g >= 0 && r.invoke < holds.cut[g]) {
      holds.cut[g] = r.invoke;
      holds.cut_op[g] = r.op;
    }
  }
}

// Grant g's hold as its renews before its cut extend, reopen or end it, into
// `mine` (the segments before the cut is applied). `last` is scratch: the
// renews that may have taken effect last so far.
void FollowRenews(const Resource& resource, const Holds& holds, const Clock& clock, uint32_t g,
                  std::vector<Segment>& mine, std::vector<uint32_t>& last) {
  const Grant& grant = resource.grants[g];
  mine.clear();
  last.clear();
  Segment cur{grant.complete, After(grant.invoke, clock.Hold(grant.ttl_ms)), g, grant.op, grant.op,
              false};
  for (uint32_t i : holds.RenewsOf(g)) {
    const TokenOp& r = resource.renews[i];
    if (r.invoke >= holds.cut[g]) break;
    if (r.outcome == EventType::kFail) {
      // Without a clock, a failed renew is the only sign that the lease
      // was lost: the holder stops when it asks. (With one, the hold's
      // ttl says how long the holder was promised.)
      if (!clock.timed && r.invoke < cur.end) {
        cur.end = std::max(r.invoke, cur.start);
        cur.end_op = r.op;
      }
      continue;
    }
    // Only a successful renew moves a hold: an indeterminate one leaves
    // the holder no surer than before.
    if (r.outcome != EventType::kOk) continue;
    // The renews certainly before this one are not last any more. Of those
    // left, any may have taken effect last: the holder is sure only of the
    // earliest end.
    std::erase_if(last, [&](uint32_t j) { return resource.renews[j].complete < r.invoke; });
    last.push_back(i);
    int64_t end = kNever;
    uint32_t end_op = r.op;
    for (uint32_t j : last) {
      const TokenOp& x = resource.renews[j];
      if (const int64_t e = After(x.invoke, clock.Hold(x.ttl_ms)); e <= end) {
        end = e;
        end_op = x.op;
      }
    }
    if (cur.start <= r.invoke && r.invoke < cur.end) {  // holding when it asked
      cur.end = end;
      cur.end_op = end_op;
    } else if (r.invoke < cur.start) {
      // Asked while a renew that reopened the lapsed hold was in flight:
      // whichever completes first tells the holder it holds again.
      if (r.complete < cur.start) {
        cur.start = r.complete;
        cur.start_op = r.op;
      }
      cur.end = end;
      cur.end_op = end_op;
    } else {  // lapsed
      mine.push_back(cur);
      cur = Segment{r.complete, end, g, r.op, end_op, false};
    }
  }
  mine.push_back(cur);
}

}  // namespace

Holds ComputeHolds(const Resource& resource, const TokenIndex& tokens, const Clock& clock) {
  Holds holds;
  const size_t n = resource.grants.size();
  GroupRenews(resource, tokens, holds);
  CutAtReleases(resource, tokens, holds);
  holds.first_start.assign(n, kNever);
  std::vector<Segment> mine;
  std::vector<uint32_t> last;
  for (uint32_t g = 0; g < n; ++g) {
    FollowRenews(resource, holds, clock, g, mine, last);
    const int64_t cut = holds.cut[g];
    for (Segment& s : mine) {
      if (s.start >= cut) break;
      if (s.end > cut) {
        s.end = cut;
        s.end_op = holds.cut_op[g];
        s.released = true;
      }
      if (s.start < s.end) {
        holds.first_start[g] = std::min(holds.first_start[g], s.start);
        holds.segments.push_back(s);
      }
    }
  }
  return holds;
}

}  // namespace jepsen::checker::lease
