// How reports name operations and times, shared by every checker.
#ifndef JEPSEN_CHECKER_DESCRIBE_H_
#define JEPSEN_CHECKER_DESCRIBE_H_

#include <string>

#include "history/history.h"

namespace jepsen::checker {

// "1.204 s" for histories with clock times, "line 17" (in a JSON array
// "element 17") for those without.
std::string TimeText(const history::History& history, const history::Event& event);
// "process 3 cas [1,2] ok (lines 12-14)" / "process 3 read -> 4 ok (...)".
std::string OpText(const history::History& history, const history::Op& op);
// {"process", "f", "key", "value", "type", "invoke": {"index","line","time"}, "complete": ...}
history::Json OpJson(const history::History& history, const history::Op& op);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_DESCRIBE_H_
