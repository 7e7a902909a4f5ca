// Turns a lease candidate into a violation with its cycle (or chain) of ops,
// each step with a reason, built on graph::DependencyGraph. Private to
// checker/lease/.
#ifndef JEPSEN_CHECKER_LEASE_EXPLAIN_H_
#define JEPSEN_CHECKER_LEASE_EXPLAIN_H_

#include <vector>

#include "checker/graph/explain.h"
#include "checker/lease/clocks.h"
#include "checker/lease/fenced_reads.h"
#include "checker/lease/invariants.h"
#include "checker/lease/lease_ops.h"

namespace jepsen::checker::lease {

struct LeaseContext {
  const history::History* history = nullptr;
  const LeaseOps* ops = nullptr;
  const std::vector<ResourceState>* states = nullptr;
  Clock clock;
  const std::vector<ClockChange>* clocks = nullptr;  // what clock faults did, for the headline
};

graph::Violation Explain(const LeaseContext& context, const Candidate& candidate);

}  // namespace jepsen::checker::lease

#endif  // JEPSEN_CHECKER_LEASE_EXPLAIN_H_
