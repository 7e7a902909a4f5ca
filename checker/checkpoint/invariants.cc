#include "checker/checkpoint/invariants.h"

#include <algorithm>
#include <numeric>

#include "checker/graph/precedence.h"

namespace jepsen::checker::checkpoint {
namespace {

using graph::MaxCompletedBefore;
using graph::TimedValue;
using history::EventType;

std::vector<TimedValue> Timed(const std::vector<Read>& reads) {
  std::vector<TimedValue> out;
  out.reserve(reads.size());
  for (const Read& r : reads) out.push_back({r.invoke, r.complete, r.seq});
  return out;
}

// Whether `read` saw less than `seq` (null is below every seq).
bool Below(const Read& read, int64_t seq) { return read.null || read.seq < seq; }

// C1: a read invoked after checkpoint N was acknowledged returns >= N.
// C3: an acknowledged seq is above every seq acknowledged before it began,
// and no seq is acknowledged twice.
void FindAckViolations(const Stream& s, uint32_t index, std::vector<Candidate>& out) {
  std::vector<TimedValue> acked;
  std::vector<uint32_t> which;
  for (uint32_t c = 0; c < s.checkpoints.size(); ++c) {
    const Checkpoint& cp = s.checkpoints[c];
    if (cp.outcome != EventType::kOk) continue;
    acked.push_back({cp.invoke, cp.complete, cp.seq});
    which.push_back(c);
  }
  std::vector<int64_t> before = MaxCompletedBefore(acked, Timed(s.reads));
  for (uint32_t r = 0; r < s.reads.size(); ++r) {
    if (before[r] >= 0 && Below(s.reads[r], acked[before[r]].value)) {
      out.push_back({Why::kLostAck, index, which[before[r]], r, s.reads[r].complete});
    }
  }
  before = MaxCompletedBefore(acked, acked);
  std::vector<bool> flagged(acked.size(), false);
  for (uint32_t b = 0; b < acked.size(); ++b) {
    if (before[b] >= 0 && acked[b].value <= acked[before[b]].value) {
      out.push_back({Why::kAckOrder, index, which[before[b]], which[b], acked[b].complete});
      flagged[b] = true;
    }
  }
  // Duplicates among concurrent acknowledgements: by seq, then completion.
  std::vector<uint32_t> order(acked.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    if (acked[x].value != acked[y].value) return acked[x].value < acked[y].value;
    if (acked[x].complete != acked[y].complete) return acked[x].complete < acked[y].complete;
    return x < y;
  });
  for (size_t i = 1, first = 0; i < order.size(); ++i) {
    if (acked[order[i]].value != acked[order[first]].value) {
      first = i;
      continue;
    }
    if (flagged[order[i]]) continue;
    out.push_back({Why::kAckDuplicate, index, which[order[first]], which[order[i]],
                   acked[order[i]].complete});
  }
}

// C2: a read returns only a seq some checkpoint that did not fail had
// invoked before the read completed.
void FindPhantomReads(const Stream& s, uint32_t index, std::vector<Candidate>& out) {
  std::vector<uint32_t> by_seq(s.checkpoints.size());
  std::iota(by_seq.begin(), by_seq.end(), 0u);
  std::sort(by_seq.begin(), by_seq.end(), [&](uint32_t x, uint32_t y) {
    return s.checkpoints[x].seq != s.checkpoints[y].seq
               ? s.checkpoints[x].seq < s.checkpoints[y].seq
               : s.checkpoints[x].invoke < s.checkpoints[y].invoke;
  });
  for (uint32_t r = 0; r < s.reads.size(); ++r) {
    const Read& read = s.reads[r];
    if (read.null) continue;
    auto first =
        std::lower_bound(by_seq.begin(), by_seq.end(), read.seq,
                         [&](uint32_t c, int64_t seq) { return s.checkpoints[c].seq < seq; });
    int64_t later = -1;    // a checkpoint of this seq, invoked only after the read
    int64_t aborted = -1;  // a failed one, invoked before the read completed
    bool fine = false;
    for (auto it = first; it != by_seq.end() && s.checkpoints[*it].seq == read.seq; ++it) {
      const Checkpoint& c = s.checkpoints[*it];
      const bool in_time = c.invoke <= read.complete;  // ops that touch are concurrent
      if (c.outcome == EventType::kFail) {
        if (in_time && aborted < 0) aborted = *it;
      } else if (in_time) {
        fine = true;
        break;
      } else if (later < 0) {
        later = *it;
      }
    }
    if (fine) continue;
    if (later >= 0) {
      out.push_back({Why::kFutureRead, index, static_cast<uint32_t>(later), r, read.complete});
    } else if (aborted >= 0) {
      out.push_back({Why::kAbortedRead, index, static_cast<uint32_t>(aborted), r, read.complete});
    } else {
      out.push_back({Why::kPhantomRead, index, 0, r, read.complete});
    }
  }
}

// C4: a read invoked after another completed never returns a smaller seq.
// Reads of null are never above a later read, so only the others are sources.
void FindBackwardReads(const Stream& s, uint32_t index, std::vector<Candidate>& out) {
  std::vector<TimedValue> seen;
  std::vector<uint32_t> which;
  for (uint32_t r = 0; r < s.reads.size(); ++r) {
    if (s.reads[r].null) continue;
    seen.push_back({s.reads[r].invoke, s.reads[r].complete, s.reads[r].seq});
    which.push_back(r);
  }
  std::vector<int64_t> before = MaxCompletedBefore(seen, Timed(s.reads));
  for (uint32_t b = 0; b < s.reads.size(); ++b) {
    if (before[b] >= 0 && Below(s.reads[b], seen[before[b]].value)) {
      out.push_back({Why::kReadsBackward, index, which[before[b]], b, s.reads[b].complete});
    }
  }
}

}  // namespace

Kind KindOf(Why why) {
  switch (why) {
    case Why::kLostAck:
      return Kind::kC1;
    case Why::kFutureRead:
    case Why::kAbortedRead:
    case Why::kPhantomRead:
      return Kind::kC2;
    case Why::kAckOrder:
    case Why::kAckDuplicate:
      return Kind::kC3;
    case Why::kReadsBackward:
      return Kind::kC4;
  }
  return Kind::kC1;
}

void FindViolations(const Stream& stream, uint32_t index, std::vector<Candidate>& out) {
  FindAckViolations(stream, index, out);
  FindPhantomReads(stream, index, out);
  FindBackwardReads(stream, index, out);
}

}  // namespace jepsen::checker::checkpoint
