// Which nemesis events are faults: the one definition that the stats check,
// jepsen-run's counts and the report's fault periods all use.
#ifndef JEPSEN_CHECKER_FAULTS_H_
#define JEPSEN_CHECKER_FAULTS_H_

#include <string_view>

#include "history/event.h"

namespace jepsen::checker {

// Whether a nemesis `f` begins a fault: kill, pause, partition and Jepsen's
// clock faults. Their ends (start, resume, heal, reset, ...) are not faults.
// (Jepsen's partitioner also begins with "start", which ends a kill here; the
// report tells the two apart by what is open.)
bool BeginsFault(std::string_view f);

// Whether `event` is a fault that took effect: a nemesis event that begins a
// fault and carries no `error` (a fault the nemesis could not carry out is
// recorded with the reason in `error`).
bool IsFault(const history::Event& event);

// Whether `event` is a fault the nemesis attempted and could not carry out.
bool IsFailedFault(const history::Event& event);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_FAULTS_H_
