// The sweeps that find violations of L1, L2, L3 (writes) and L4 on one
// resource in O(n log n), as candidates to count and, for the reported ones,
// to explain. Private to checker/lease/.
#ifndef JEPSEN_CHECKER_LEASE_INVARIANTS_H_
#define JEPSEN_CHECKER_LEASE_INVARIANTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "checker/lease/holds.h"
#include "checker/lease/lease_ops.h"

namespace jepsen::checker::lease {

enum class Kind : uint8_t { kL1, kL2, kL3, kL4 };

enum class Why : uint8_t {
  kOverlap,         // L1: a = earlier segment, b = the segment that began inside it
  kTokenOrder,      // L2: grant a completed before grant b was invoked, b.token <= a.token
  kTokenDuplicate,  // L2: concurrent grants a and b got the same token
  kStaleWrite,      // L3: write a accepted before write b was invoked, b.token < a.token
  kStaleRead,       // L3: read op a is not linearizable (see fenced_reads.h); `note` says why
  // L4: token op a is a renew when c == 0, a release when c == 1; d is its grant.
  kUnknownToken,  // a names no grant that had completed by its invocation
  kSuperseded,    // grant b was invoked after d completed, and completed before a began
  kReleased,      // release b of grant d completed ok before a began
  kRaced,         // renew a raced grant b (certainly after d): in either order one of them
                  // broke the lease; `at` is when the renewed lease surely lasted to
  kExpired,       // renew a began after the lease ran out at `at`; History::ops b set that
};

Kind KindOf(Why why);

struct Candidate {
  Why why = Why::kOverlap;
  uint32_t resource = 0;
  uint32_t a = 0;
  uint32_t b = 0;
  uint32_t c = 0;
  uint32_t d = 0;
  int64_t time = 0;  // when it became visible, to order the report
  int64_t at = 0;
  std::string note;  // kStaleRead: the model check's own words
};

// Everything derived about one resource that explanations need.
struct ResourceState {
  TokenIndex tokens;
  Holds holds;
};

ResourceState Analyze(const Resource& resource, const Clock& clock);

// Appends the candidates of L1, L2, L3 writes and L4 for `resource` (number
// `index`) to `out`; `stale_writes` returns how many L3 write violations.
void FindViolations(const Resource& resource, const ResourceState& state, const Clock& clock,
                    uint32_t index, std::vector<Candidate>& out, size_t& stale_writes);

}  // namespace jepsen::checker::lease

#endif  // JEPSEN_CHECKER_LEASE_INVARIANTS_H_
