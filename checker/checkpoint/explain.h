// Turns a checkpoint candidate into a violation with its cycle (or chain) of
// ops, each step with a reason, built on graph::DependencyGraph. Private to
// checker/checkpoint/.
#ifndef JEPSEN_CHECKER_CHECKPOINT_EXPLAIN_H_
#define JEPSEN_CHECKER_CHECKPOINT_EXPLAIN_H_

#include "checker/checkpoint/invariants.h"
#include "checker/checkpoint/stream_ops.h"
#include "checker/graph/explain.h"

namespace jepsen::checker::checkpoint {

graph::Violation Explain(const history::History& history, const StreamOps& ops,
                         const Candidate& candidate);

}  // namespace jepsen::checker::checkpoint

#endif  // JEPSEN_CHECKER_CHECKPOINT_EXPLAIN_H_
