// What a clock fault (nemesis=clock) did to the nodes' clocks, read back from
// the history: its events record, per node, the clock they left
// (value.clocks.<node> = {offset_s, rate}; the final heal's value is a list of
// such objects). Explanations say which node's clock was skewed while a
// violation unfolded: a lease server whose clock runs fast ends leases early.
// Private to checker/lease/.
#ifndef JEPSEN_CHECKER_LEASE_CLOCKS_H_
#define JEPSEN_CHECKER_LEASE_CLOCKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "history/history.h"

namespace jepsen::checker::lease {

struct ClockChange {
  int64_t time = 0;  // the nemesis event's (its completion)
  std::string node;
  double offset_s = 0;  // from real time, then
  double rate = 1;
};

// Every change the history records, in time order.
std::vector<ClockChange> ClockChanges(const history::History& history);

// "; n1's clock was skewed at that time (x4 since 1.200 s, +0.250 s off real time then)" for
// each node whose clock was not real time at some instant of [from, to]; "" when none was.
std::string ClockSkewText(const history::History& history, const std::vector<ClockChange>& changes,
                          int64_t from, int64_t to);

}  // namespace jepsen::checker::lease

#endif  // JEPSEN_CHECKER_LEASE_CLOCKS_H_
