// The sweeps that find violations of C1-C4 on one stream in O(n log n), as
// candidates to count and, for the reported ones, to explain. Private to
// checker/checkpoint/.
#ifndef JEPSEN_CHECKER_CHECKPOINT_INVARIANTS_H_
#define JEPSEN_CHECKER_CHECKPOINT_INVARIANTS_H_

#include <cstdint>
#include <vector>

#include "checker/checkpoint/stream_ops.h"

namespace jepsen::checker::checkpoint {

enum class Kind : uint8_t { kC1, kC2, kC3, kC4 };

enum class Why : uint8_t {
  kLostAck,        // C1: checkpoint a acknowledged before read b began; b saw less
  kFutureRead,     // C2: read b saw checkpoint a's seq, but a was invoked after b completed
  kAbortedRead,    // C2: read b saw the seq only failed checkpoint a had
  kPhantomRead,    // C2: read b saw a seq no checkpoint had
  kAckOrder,       // C3: checkpoint a acknowledged before checkpoint b began; b.seq <= a.seq
  kAckDuplicate,   // C3: concurrent checkpoints a and b were both acknowledged with one seq
  kReadsBackward,  // C4: read a completed before read b began; b saw less
};

Kind KindOf(Why why);

struct Candidate {
  Why why = Why::kLostAck;
  uint32_t stream = 0;
  uint32_t a = 0;  // index into Stream::checkpoints or Stream::reads, per `why`
  uint32_t b = 0;
  int64_t time = 0;  // when it became visible, to order the report
};

// Appends the candidates of C1-C4 for `stream` (number `index`) to `out`.
void FindViolations(const Stream& stream, uint32_t index, std::vector<Candidate>& out);

}  // namespace jepsen::checker::checkpoint

#endif  // JEPSEN_CHECKER_CHECKPOINT_INVARIANTS_H_
