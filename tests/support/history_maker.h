// Builds in-memory histories for checker tests from op intervals.
#ifndef JEPSEN_TESTS_SUPPORT_HISTORY_MAKER_H_
#define JEPSEN_TESTS_SUPPORT_HISTORY_MAKER_H_

#include <string>
#include <vector>

#include "history/history.h"

namespace jepsen::testing {

using history::EventType;
using history::Json;

struct TestOp {
  int64_t process = 0;
  std::string f;
  Json value;   // the invocation's value
  Json result;  // the completion's value (what a read saw); null keeps `value`
  EventType outcome = EventType::kOk;  // kInfo with ret < 0: never completed
  int64_t call = 0;
  int64_t ret = 0;
  Json key;
};

// Nemesis actions to mix in: (time, f, value).
struct TestNemesis {
  int64_t time = 0;
  std::string f;
  Json value;
};

// Events sorted by time (invokes before completions at equal times); fails
// the test on a pairing error. REQUIRES: a process invokes its next op
// strictly after its previous one completed.
history::History MakeHistory(const std::vector<TestOp>& ops,
                             const std::vector<TestNemesis>& nemesis = {},
                             const Json& header = nullptr);

// The same events (and header) as a history without clock times: each
// event's time is its line number, as when a file has no `time` fields.
history::History WithoutTimes(const history::History& timed);

}  // namespace jepsen::testing

#endif  // JEPSEN_TESTS_SUPPORT_HISTORY_MAKER_H_
