// A fault event's value in words, for explanations and reports: whom it hit
// and what it recorded it did. Fault packages put their targets either as the
// value itself (["n1"], a partition's grudge) or as its "nodes" field beside
// what the fault did ({"nodes": ["n1"], "lost": {"n1": {...}}}).
#ifndef JEPSEN_CHECKER_FAULT_TEXT_H_
#define JEPSEN_CHECKER_FAULT_TEXT_H_

#include <string>

#include "history/event.h"

namespace jepsen::checker {

// The value's "nodes" when it is an object holding them, else the value.
history::Json FaultTargets(const history::Json& value);

// FaultTargets in words: "n1, n2" for a list of names, a string as itself,
// anything else as compact JSON; empty for null.
std::string FaultTargetText(const history::Json& value);

// What the value records beyond whom it hit, in one line: each field but
// "nodes" and "seed", a per-node object as "<field> <node>: k v, ..." (e.g.
// "lost n1: bytes 8192, files (db-wal), writes 5"), empty fields left out.
// Empty for a value that is only targets (a node list, a partition).
std::string FaultEffect(const history::Json& value);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_FAULT_TEXT_H_
