// How reports name operations and times, shared by every checker.
#ifndef JEPSEN_CHECKER_DESCRIBE_H_
#define JEPSEN_CHECKER_DESCRIBE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "checker/op_ref.h"
#include "history/history.h"

namespace jepsen::checker {

// The client thread that ran `process`, when the header's options.concurrency
// (an integer >= 1) says how many threads there were: processes are numbered
// as Jepsen does (thread t starts as process t and takes process old +
// concurrency after an `info`), so thread = process mod concurrency.
std::optional<int64_t> ThreadOf(const history::History& history, int64_t process);
// Who ran an op: "client 1 (process 6)" when the thread is known, else
// "process 6"; with `aside`, "client 1 (process 6, <aside>)" or
// "process 6 (<aside>)".
std::string ActorText(const history::History& history, int64_t process,
                      const std::string& aside = "");

// "1.204 s" for histories with clock times, "line 17" (in a JSON array
// "element 17") for those without.
std::string TimeText(const history::History& history, const history::Event& event);
// "process 3 cas [1,2] ok (lines 12-14)" / "process 3 read -> 4 ok (...)",
// the actor as ActorText names it.
std::string OpText(const history::History& history, const history::Op& op);
// History::ops[op] as a result refers to it: with the thread as ThreadOf
// names it, and what an ok op observed as its value (History::value).
OpRef OpRefOf(const history::History& history, uint32_t op);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_DESCRIBE_H_
