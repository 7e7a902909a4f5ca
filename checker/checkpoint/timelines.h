// The streams in reported violations as reports draw them: the acknowledged
// seq over time, every read, and the lost acknowledgements of the reported C1
// violations. Private to checker/checkpoint/.
#ifndef JEPSEN_CHECKER_CHECKPOINT_TIMELINES_H_
#define JEPSEN_CHECKER_CHECKPOINT_TIMELINES_H_

#include <vector>

#include "checker/checkpoint/invariants.h"
#include "checker/checkpoint/stream_ops.h"

namespace jepsen::checker::checkpoint {

// details.timelines: [{key, acked: [[time, seq]] (the highest seq
// acknowledged so far, from each acknowledgement that raised it: a step
// line), checkpoints: [{op (History::ops), seq, outcome: "ok"|"fail"|"info"}],
// reads: [{op, seq (null: none yet)}], lost: [{checkpoint, seq, read,
// read_seq} (History::ops; read_seq null: none)]}], one per stream named by
// `reported`, in order of first appearance, holding only what is near its
// violations (within a quarter of each one's stretch of time; `acked` from
// the last step before), so that a long history's page stays small. Times
// are the history's.
struct Reported {
  const Candidate* candidate = nullptr;
  int64_t from = 0;  // the stretch of time its ops cover
  int64_t to = 0;
};
history::Json SeqTimelines(const StreamOps& ops, const std::vector<Reported>& reported);

}  // namespace jepsen::checker::checkpoint

#endif  // JEPSEN_CHECKER_CHECKPOINT_TIMELINES_H_
