// Why a history is not linearizable, as a result carries it: the op that
// cannot be linearized, the longest linearizable prefix before it and the
// model state it leaves, and the ops concurrent with it (the candidates for
// reordering). One JSON codec beside the type (docs/results-json.md).
#ifndef JEPSEN_CHECKER_LINEARIZABLE_FAILURE_H_
#define JEPSEN_CHECKER_LINEARIZABLE_FAILURE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/op_ref.h"
#include "history/event.h"
#include "history/status.h"

namespace jepsen::checker::linearizable {

struct Failure {
  history::Json key;    // the part (P-compositionality) it was found in; null: no key
  OpRef op;             // the op that cannot be linearized
  history::Json state;  // the model state after the longest linearizable prefix
  size_t prefix_length = 0;
  std::vector<int64_t> prefix_indices;  // the prefix's invoke event indices, in order
  std::vector<OpRef> prefix_tail;       // its last ops (at most 10), in full
  std::vector<OpRef> concurrent;        // ops whose intervals overlap `op`'s

  bool operator==(const Failure&) const = default;
};

// {"key", "op", "state", "prefix_length", "prefix_indices", "prefix_tail", "concurrent"}
history::Json ToJson(const Failure& failure);
// Errors name `path` and the field.
Result<Failure> FailureFromJson(const history::Json& json, const std::string& path);

}  // namespace jepsen::checker::linearizable

#endif  // JEPSEN_CHECKER_LINEARIZABLE_FAILURE_H_
