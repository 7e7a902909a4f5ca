// The checkpoint checker's view of a history: per stream (`key`), its
// checkpoints and successful reads, parsed and validated once. Private to
// checker/checkpoint/.
#ifndef JEPSEN_CHECKER_CHECKPOINT_STREAM_OPS_H_
#define JEPSEN_CHECKER_CHECKPOINT_STREAM_OPS_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "history/history.h"

namespace jepsen::checker::checkpoint {

inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

struct Checkpoint {
  uint32_t op = 0;  // index into History::ops
  int64_t invoke = 0;
  int64_t complete = kNever;  // kNever when indeterminate
  history::EventType outcome = history::EventType::kInfo;
  int64_t seq = 0;
};

struct Read {  // successful reads only: the others saw nothing we know
  uint32_t op = 0;
  bool null = true;  // read "no checkpoint yet": below every seq, even INT64_MIN
  int64_t invoke = 0;
  int64_t complete = 0;
  int64_t seq = 0;  // when not null
};

struct Stream {
  history::Json key;
  std::vector<Checkpoint> checkpoints;  // in invocation order
  std::vector<Read> reads;              // in invocation order
};

struct StreamOps {
  std::vector<Stream> streams;  // in order of first appearance
  size_t ops = 0;
};

// Errors name file:line and the field: an op other than checkpoint and read,
// a checkpoint whose value.seq is not an integer in the int64 range, a read
// that returned something other than {"seq": N} or null.
Result<StreamOps> ParseStreamOps(const history::History& history);

}  // namespace jepsen::checker::checkpoint

#endif  // JEPSEN_CHECKER_CHECKPOINT_STREAM_OPS_H_
