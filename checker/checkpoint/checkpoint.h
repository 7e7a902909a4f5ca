// The checkpoint monotonicity checker. Per stream (`key`):
//  C1 no lost acknowledgement: a read invoked after `checkpoint N` was
//     acknowledged returns a seq >= N, across kills and restarts too;
//  C2 no phantom or aborted reads: a read returns only a seq that a
//     checkpoint invoked before the read completed wrote, and that did not fail;
//  C3 acknowledged seqs are unique and increase: none is acknowledged unless
//     it is above every seq acknowledged before its checkpoint began;
//  C4 monotonic reads: a read invoked after another completed never returns
//     a smaller seq.
// Indeterminate (info) checkpoints may be lost or appear later: both valid.
// Every violation is counted; the first `max_reported` are explained as
// cycles of ops (see checker/graph/).
#ifndef JEPSEN_CHECKER_CHECKPOINT_CHECKPOINT_H_
#define JEPSEN_CHECKER_CHECKPOINT_CHECKPOINT_H_

#include <cstddef>

#include "checker/check_result.h"
#include "checker/registry.h"
#include "history/history.h"

namespace jepsen::checker::checkpoint {

struct Options {
  size_t max_reported = 100;  // violations explained; all are counted
  unsigned threads = 0;       // 0: one per hardware thread
};

// Errors name the file:line and field of an op the checker cannot read.
// Without clock times the line order stands in for real time.
Result<CheckResult> Check(const history::History& history, const Options& options);

// Its entry in the registry: the workload `checkpoints`, its option
// `max-violations`.
Checker Registration();

}  // namespace jepsen::checker::checkpoint

#endif  // JEPSEN_CHECKER_CHECKPOINT_CHECKPOINT_H_
