// Fault periods: the nemesis events of a history paired into intervals
// (kill..start, pause..resume, partition..heal), so reports can shade the
// time each fault was in force. Which events begin and end which faults is
// the history's fault vocabulary (checker/faults.h).
#ifndef JEPSEN_CHECKER_REPORT_FAULTS_H_
#define JEPSEN_CHECKER_REPORT_FAULTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "history/fault_kinds.h"
#include "history/history.h"

namespace jepsen::checker::report {

struct FaultPeriod {
  static constexpr uint32_t kNone = history::Op::kNone;
  std::string f;            // the event that began it: "kill", "pause", ...
  history::FaultKind kind;  // what it is; an empty name when no kind begins with f
  history::Json target;     // that event's value (nodes, a partition)
  std::string effect;  // what its begin and end recorded it did, in one line (checker/fault_text.h)
  uint32_t begin_event = 0;    // position in History::events
  uint32_t end_event = kNone;  // the event that ended it; kNone when none did
  int64_t begin = 0;           // time
  int64_t end = 0;             // time; the history's last time when never ended
  bool instant = false;        // a fault with no known ending (begin == end)
  std::string error;           // the nemesis could not carry it out (an instant)
  uint32_t row = 0;            // the lowest row free of other periods while it lasts
};

// In order of beginning. Each beginning of a fault kind (kill, pause,
// partition, clock, Jepsen's partition "start", or what the header's `faults`
// names) stays open until an end of its kind (start/restart, resume,
// heal/stop, reset; a tagged end only its own kind's) for the same target, or
// for any target when the end names none of the open ones; an untagged "heal"
// ends everything. An end that ends nothing and also begins a kind (Jepsen's
// "start" with no kill open) begins one. A repeated beginning of a fault
// already open is not a new period, and neither is an untagged event right
// after a nemesis event of the same f (Jepsen logs each nemesis op's
// invocation and completion): the completion's value names the period when
// the invocation's was nil. Events with
// no known pairing are instants, and so are events carrying an `error` (a
// fault the nemesis could not carry out): they neither begin nor end a period.
// Rows: periods that overlap in time (instants included) get different rows,
// each the lowest free one at its beginning, so overlapping faults are drawn
// apart.
std::vector<FaultPeriod> FaultPeriods(const history::History& history);

}  // namespace jepsen::checker::report

#endif  // JEPSEN_CHECKER_REPORT_FAULTS_H_
