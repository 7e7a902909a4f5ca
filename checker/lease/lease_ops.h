// The lease checker's view of a history: per resource (`key`), its grants,
// renewals, releases and fenced writes, parsed and validated once. Private to
// checker/lease/.
#ifndef JEPSEN_CHECKER_LEASE_LEASE_OPS_H_
#define JEPSEN_CHECKER_LEASE_LEASE_OPS_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "history/history.h"

namespace jepsen::checker::lease {

// As an instant: never (an indeterminate op's completion), or a hold that
// ends after the clock's last instant, that is, never ends.
inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

// The drift bound, as the spec reads it: a clock measures a span d of real
// time as between d*(1-drift) and d*(1+drift). A holder may act for
// ttl*(1-drift) after it asked (never longer than the lease can last); the
// service's lease is certainly over ttl*(1+drift) after it granted it.
// Spans too long for the clock saturate at kNever: a ttl of 1e13 ms lasts
// forever, it does not wrap. Without clock times (`timed` false: times are
// line numbers) no ttl can be measured, and every span is kNever: no lease is
// ever taken to have run out.
struct Clock {
  double drift = 0.01;
  bool timed = true;
  int64_t Hold(double ttl_ms) const;     // ttl*(1-drift), in ns
  int64_t Longest(double ttl_ms) const;  // ttl*(1+drift), in ns
};

// `t` + `span`, or kNever when that is past the clock's last instant.
// REQUIRES: span >= 0.
inline int64_t After(int64_t t, int64_t span) { return t > kNever - span ? kNever : t + span; }

// A successful acquire: a holder.
struct Grant {
  uint32_t op = 0;  // index into History::ops
  int64_t invoke = 0;
  int64_t complete = 0;
  int64_t token = 0;
  double ttl_ms = 0;
};

// A renew, release or fenced write: an op that names a token.
struct TokenOp {
  uint32_t op = 0;
  int64_t invoke = 0;
  int64_t complete = kNever;  // kNever unless ok or fail
  history::EventType outcome = history::EventType::kInfo;
  int64_t token = 0;
  double ttl_ms = 0;  // renews only
};

struct Resource {
  history::Json key;
  std::vector<Grant> grants;      // ok acquires, in invocation order
  std::vector<TokenOp> renews;    // every renew, in invocation order
  std::vector<TokenOp> releases;  // every release
  std::vector<TokenOp> writes;    // every fenced write
  std::vector<uint32_t> rw_ops;   // writes and reads (History::ops), for L3's model check
  size_t ok_reads = 0;
};

struct LeaseOps {
  std::vector<Resource> resources;  // in order of first appearance
  size_t ops = 0;                   // client ops seen
};

// Errors name file:line and the field: an op other than acquire, renew,
// release, write and read; a token that is not an integer in the int64 range;
// a ttl_ms that is missing (with no header options.ttl_ms) or not a
// non-negative number.
// `default_ttl_ms` < 0: none.
Result<LeaseOps> ParseLeaseOps(const history::History& history, double default_ttl_ms);

}  // namespace jepsen::checker::lease

#endif  // JEPSEN_CHECKER_LEASE_LEASE_OPS_H_
