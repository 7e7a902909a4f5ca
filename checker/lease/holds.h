// Who held a resource when: each grant's hold intervals, from its acquire's
// completion to its invocation + ttl*(1-drift); a successful renew makes it
// last ttl*(1-drift) from the renew's invocation (longer or shorter); the
// first release invocation ends it. Without clock times no ttl can be
// measured: a hold lasts until its release, and a failed renew (the lease is
// lost) ends it until a successful one. Private to checker/lease/.
#ifndef JEPSEN_CHECKER_LEASE_HOLDS_H_
#define JEPSEN_CHECKER_LEASE_HOLDS_H_

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "checker/lease/lease_ops.h"

namespace jepsen::checker::lease {

// A stretch of time in which a holder may act: [start, end), never empty.
// A renew invoked when the hold had lapsed starts a new segment at its
// completion: the holder learns it holds the lease again only then. Renews
// that may have taken effect in either order leave the holder sure only of
// the earlier of their ends.
struct Segment {
  int64_t start = 0;
  int64_t end = 0;
  uint32_t grant = 0;     // index into Resource::grants
  uint32_t start_op = 0;  // History::ops: the acquire or renew that began it
  uint32_t end_op = 0;    // the acquire, renew or release that set its end
  bool released = false;  // end set by a release invocation (else by a ttl)
};

struct Holds {
  std::vector<Segment> segments;     // every grant's, by grant
  std::vector<int32_t> renew_owner;  // per Resource::renews: grant index, -1 for none
  std::vector<int32_t> release_owner;
  // Per grant: when its holder first held (kNever: never), and its first
  // release invocation (kNever: none) with that release's History::ops index.
  std::vector<int64_t> first_start;
  std::vector<int64_t> cut;
  std::vector<uint32_t> cut_op;
  // Per grant, its renews (indices into Resource::renews, any outcome) in
  // invocation order: RenewsOf(g).
  std::vector<uint32_t> renew_begin;  // grant g's are [renew_begin[g], renew_begin[g+1])
  std::vector<uint32_t> renews_by_grant;

  std::span<const uint32_t> RenewsOf(uint32_t g) const {
    return {renews_by_grant.data() + renew_begin[g], renews_by_grant.data() + renew_begin[g + 1]};
  }
};

// The grant a token op belongs to: the latest grant of its token that had
// completed by the op's invocation (a client learns its token only then), or
// -1. REQUIRES: `tokens` built by IndexTokens(resource) (sorted by completion).
using TokenIndex = std::unordered_map<int64_t, std::vector<uint32_t>>;
TokenIndex IndexTokens(const Resource& resource);
int32_t OwnerOf(const Resource& resource, const TokenIndex& tokens, int64_t token, int64_t time);

Holds ComputeHolds(const Resource& resource, const TokenIndex& tokens, const Clock& clock);

}  // namespace jepsen::checker::lease

#endif  // JEPSEN_CHECKER_LEASE_HOLDS_H_
