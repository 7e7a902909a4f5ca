// L3, reads: the protected resource's reads are linearizable against a
// fenced register (state: the last accepted {token, value}; a write is
// accepted when its token is not below the state's). Reuses the
// linearizability checker on a sub-history of one resource's writes and
// reads. Private to checker/lease/.
#ifndef JEPSEN_CHECKER_LEASE_FENCED_READS_H_
#define JEPSEN_CHECKER_LEASE_FENCED_READS_H_

#include <string>

#include "checker/lease/lease_ops.h"
#include "checker/verdict.h"
#include "history/history.h"

namespace jepsen::checker::lease {

struct ReadCheck {
  Verdict verdict = Verdict::kValid;
  uint32_t blocked_op = 0;  // kInvalid: the History::ops index that cannot be linearized
  history::Json state;      // kInvalid: the register after the longest linearizable prefix
  std::string reason;       // kUnknown: which budget ran out
};

// The writes and reads among `ops` as a history of their own for the
// fenced-register check: same source, lines, times and indices (so messages
// and explanations still point into the file), failed ops left out, values
// kept only where the model reads them (a write's invocation, a read's
// completion), keys dropped (one resource).
history::History SubHistory(const history::History& history, const std::vector<uint32_t>& ops);

// REQUIRES: resource.ok_reads > 0 (with writes alone, the L3 write sweep
// decides exactly the same). Errors (a read whose value is not {token, value}
// or null) name file:line and field.
Result<ReadCheck> CheckReads(const history::History& history, const Resource& resource,
                             double time_limit_seconds, size_t memory_limit_bytes);

}  // namespace jepsen::checker::lease

#endif  // JEPSEN_CHECKER_LEASE_FENCED_READS_H_
