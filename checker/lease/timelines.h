// The hold windows of the resources in reported violations, as the checker
// computed them (holds.h), for reports to draw: per resource its holders
// (grants) with their windows, the fenced writes and reads with their tokens,
// and the overlaps of the reported L1 violations. Private to checker/lease/.
#ifndef JEPSEN_CHECKER_LEASE_TIMELINES_H_
#define JEPSEN_CHECKER_LEASE_TIMELINES_H_

#include <vector>

#include "checker/lease/invariants.h"
#include "checker/lease/lease_ops.h"

namespace jepsen::checker::lease {

// A reported violation and the stretch of time its ops cover.
struct Reported {
  const Candidate* candidate = nullptr;
  int64_t from = 0;
  int64_t to = 0;
};

// details.timelines: [{key, holders: [{grant (History::ops), process, token,
// invoke, complete, windows: [{start, end (null: never ends), start_op,
// end_op, released}]}], fenced: [{op, f: "write"|"read", token (null: none
// read), outcome: "ok"|"fail"|"info"}], overlaps: [{a, b (holders
// positions), from, to}]}], one per resource named by `reported`, in order
// of first appearance, holding only the holders and fenced ops near its
// violations (within a quarter of each one's stretch of time), so that a
// long history's page stays small. Times are the history's.
history::Json HoldTimelines(const history::History& history, const LeaseOps& ops,
                            const std::vector<ResourceState>& states,
                            const std::vector<Reported>& reported);

// details.resource_timelines: every resource's whole timeline, in the form
// above (no overlaps), so a report can draw any resource on demand; empty
// past kEveryResourceOps lease ops, where the page would grow too large.
inline constexpr size_t kEveryResourceOps = 20000;
history::Json EveryTimeline(const history::History& history, const LeaseOps& ops,
                            const std::vector<ResourceState>& states);

}  // namespace jepsen::checker::lease

#endif  // JEPSEN_CHECKER_LEASE_TIMELINES_H_
