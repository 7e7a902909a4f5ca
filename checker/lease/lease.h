// The lease exclusivity checker. Per resource (`key`):
//  L1 mutual exclusion: no two holders' hold intervals overlap (a hold runs
//     from the acquire's completion to its invocation + ttl*(1-drift), a
//     successful renew makes it last its ttl*(1-drift) from the renew's
//     invocation, the release's invocation cuts it);
//  L2 fencing tokens are unique and strictly increase in real-time grant order;
//  L3 the protected resource never accepts a write whose token is below one it
//     accepted before the write began, and its reads are linearizable against
//     a fenced register;
//  L4 only the current holder's token is renewed or released successfully,
//     a renew after the lease certainly ran out (ttl*(1+drift) after the
//     grant or renewal completed) does not succeed, and neither does one that
//     raced a later grant when no order of the two is clean.
// Without clock times (line numbers) no ttl is measured: a hold lasts until
// its release or a failed renew, and no lease is taken to have run out.
// Every violation is counted; the first `max_reported` are explained as
// cycles of ops (see checker/graph/). docs/leases-and-checkpoints.md has the
// exact rules.
#ifndef JEPSEN_CHECKER_LEASE_LEASE_H_
#define JEPSEN_CHECKER_LEASE_LEASE_H_

#include <cstddef>
#include <optional>

#include "checker/check_result.h"
#include "checker/registry.h"
#include "history/history.h"

namespace jepsen::checker::lease {

struct Options {
  std::optional<double> drift;    // nullopt: the header's options.drift, else 0.01
  size_t max_reported = 100;      // violations explained; all are counted
  double time_limit_seconds = 0;  // for L3's read checks; 0: none, else unknown when out
  size_t memory_limit_bytes = 0;  // likewise
  unsigned threads = 0;           // 0: one per hardware thread
};

// Errors name the header field (options.drift, options.ttl_ms), or the
// file:line and field of an op the checker cannot read.
Result<CheckResult> Check(const history::History& history, const Options& options);

// Its entry in the registry: the workload `leases`, its options `drift`
// and `max-violations`.
Checker Registration();

}  // namespace jepsen::checker::lease

#endif  // JEPSEN_CHECKER_LEASE_LEASE_H_
