#include "checker/checkpoint/explain.h"

#include "checker/describe.h"
#include "checker/graph/dependency_graph.h"
#include "checker/graph/time_text.h"

namespace jepsen::checker::checkpoint {
namespace {

using graph::DependencyGraph;
using graph::EdgeKind;
using graph::Step;
using graph::Violation;
using history::History;

class Explainer {
 public:
  Explainer(const History& h, const StreamOps& ops, const Candidate& c)
      : h_(h), s_(ops.streams[c.stream]), c_(c) {
    v_.key = s_.key;
  }

  Violation Run() {
    switch (c_.why) {
      case Why::kLostAck:
        LostAck();
        break;
      case Why::kFutureRead:
        FutureRead();
        break;
      case Why::kAbortedRead:
        AbortedRead();
        break;
      case Why::kPhantomRead:
        PhantomRead();
        break;
      case Why::kAckOrder:
        AckOrder();
        break;
      case Why::kAckDuplicate:
        AckDuplicate();
        break;
      case Why::kReadsBackward:
        ReadsBackward();
        break;
    }
    static constexpr const char* kKinds[] = {"C1", "C2", "C3", "C4"};
    v_.kind = kKinds[static_cast<int>(KindOf(c_.why))];
    return std::move(v_);
  }

 private:
  // Times as the history gives them: seconds with a clock, lines without.
  std::string At(int64_t t) const {
    return h_.has_time ? graph::Seconds(t) : history::PlaceText(h_.format, t);
  }
  std::pair<std::string, std::string> Pair(int64_t a, int64_t b) const {
    if (!h_.has_time) return {At(a), At(b)};
    return graph::SecondsPair(a, b);
  }
  std::string Proc(uint32_t op) const {
    return "process " + std::to_string(h_.invocation(h_.ops[op]).process);
  }
  static std::string SeqText(int64_t seq) {
    return seq == kNothing ? std::string("nothing (null)") : "seq " + std::to_string(seq);
  }
  std::string ReadText(const Read& r) const {
    return "the read by " + Proc(r.op) + " (at " + At(r.invoke) + ")";
  }

  void LostAck() {
    const Checkpoint& c = s_.checkpoints[c_.a];
    const Read& r = s_.reads[c_.b];
    v_.title = "lost acknowledgement";
    auto [acked, began] = Pair(c.complete, r.invoke);
    v_.headline = ReadText(r) + " returned " + SeqText(r.seq) + ", but checkpoint " +
                  std::to_string(c.seq) + " was acknowledged at " + acked +
                  ", before the read began";
    DependencyGraph g;
    g.AddEdge(c.op, r.op, EdgeKind::kRealTime,
              "checkpoint " + std::to_string(c.seq) + " was acknowledged at " + acked +
                  ", before the read began at " + began);
    g.AddEdge(r.op, c.op, EdgeKind::kRw,
              "the read returned " + SeqText(r.seq) +
                  (r.seq == kNothing ? "" : " < " + std::to_string(c.seq)) +
                  ": it read a state from before checkpoint " + std::to_string(c.seq) +
                  " took effect");
    v_.SetCycle(g);
    v_.SetWindow(c.complete, r.invoke);
  }

  void FutureRead() {
    const Checkpoint& c = s_.checkpoints[c_.a];
    const Read& r = s_.reads[c_.b];
    v_.title = "phantom read";
    auto [done, invoked] = Pair(r.complete, c.invoke);
    v_.headline = ReadText(r) + " returned " + SeqText(r.seq) + ", but checkpoint " +
                  std::to_string(c.seq) + " was invoked only at " + invoked +
                  ", after the read completed at " + done;
    DependencyGraph g;
    g.AddEdge(r.op, c.op, EdgeKind::kRealTime,
              "the read completed at " + done + ", before checkpoint " + std::to_string(c.seq) +
                  " was invoked at " + invoked);
    g.AddEdge(c.op, r.op, EdgeKind::kWr,
              "the read observed seq " + std::to_string(c.seq) + ", which this checkpoint wrote");
    v_.SetCycle(g);
    v_.SetWindow(r.complete, c.invoke);
  }

  void AbortedRead() {
    const Checkpoint& c = s_.checkpoints[c_.a];
    const Read& r = s_.reads[c_.b];
    v_.title = "aborted read";
    v_.headline = ReadText(r) + " returned " + SeqText(r.seq) +
                  ", which only a failed checkpoint " + "(" + Proc(c.op) + ", at " + At(c.invoke) +
                  ") wrote";
    v_.steps = {Step{c.op, EdgeKind::kWr,
                     "the store refused this checkpoint (fail): seq " + std::to_string(c.seq) +
                         " never took effect, yet the read observed it"},
                Step{r.op, EdgeKind::kWr, "returned " + SeqText(r.seq)}};
    v_.cycle = false;
    v_.SetWindow(c.invoke, r.complete);
  }

  void PhantomRead() {
    const Read& r = s_.reads[c_.b];
    v_.title = "phantom read";
    v_.headline = ReadText(r) + " returned " + SeqText(r.seq) + ", which no checkpoint wrote";
    v_.steps = {Step{r.op, EdgeKind::kWr,
                     "no checkpoint of seq " + std::to_string(r.seq) + " was ever invoked"}};
    v_.cycle = false;
    v_.SetWindow(r.invoke, r.complete);
  }

  void AckOrder() {
    const Checkpoint& a = s_.checkpoints[c_.a];
    const Checkpoint& b = s_.checkpoints[c_.b];
    v_.title = "acknowledged seqs increase";
    auto [acked, began] = Pair(a.complete, b.invoke);
    v_.headline = "the store acknowledged checkpoint " + std::to_string(b.seq) + " (" + Proc(b.op) +
                  ", at " + At(b.complete) + ") after it had acknowledged " +
                  std::to_string(a.seq) + " at " + acked + ", before that checkpoint began";
    DependencyGraph g;
    g.AddEdge(a.op, b.op, EdgeKind::kRealTime,
              "checkpoint " + std::to_string(a.seq) + " was acknowledged at " + acked +
                  ", before checkpoint " + std::to_string(b.seq) + " was invoked at " + began);
    g.AddEdge(b.op, a.op, EdgeKind::kWw,
              "seq " + std::to_string(b.seq) + " is not above " + std::to_string(a.seq) +
                  ": the store may acknowledge it only before it stored " + std::to_string(a.seq));
    v_.SetCycle(g);
    v_.SetWindow(a.complete, b.invoke);
  }

  void AckDuplicate() {
    const Checkpoint& a = s_.checkpoints[c_.a];
    const Checkpoint& b = s_.checkpoints[c_.b];
    v_.title = "acknowledged seqs increase";
    const std::string seq = std::to_string(a.seq);
    v_.headline = "the store acknowledged checkpoint " + seq + " twice (" + Proc(a.op) + " at " +
                  At(a.complete) + ", " + Proc(b.op) + " at " + At(b.complete) + ")";
    DependencyGraph g;
    g.AddEdge(a.op, b.op, EdgeKind::kWw,
              "seq " + seq + " is not above the other's " + seq +
                  ": it was stored no later than the other");
    g.AddEdge(b.op, a.op, EdgeKind::kWw,
              "and the other's is not above this one's: one seq acknowledged twice");
    v_.SetCycle(g);
    v_.SetWindow(std::min(a.invoke, b.invoke), std::max(a.complete, b.complete));
  }

  void ReadsBackward() {
    const Read& a = s_.reads[c_.a];
    const Read& b = s_.reads[c_.b];
    v_.title = "monotonic reads";
    auto [done, began] = Pair(a.complete, b.invoke);
    v_.headline = ReadText(b) + " returned " + SeqText(b.seq) + ", but " + ReadText(a) +
                  " had returned " + SeqText(a.seq) + " and completed at " + done +
                  ", before it began";
    DependencyGraph g;
    g.AddEdge(a.op, b.op, EdgeKind::kRealTime,
              "the read that returned " + SeqText(a.seq) + " completed at " + done +
                  ", before this one began at " + began);
    g.AddEdge(b.op, a.op, EdgeKind::kRw,
              "this read returned " + SeqText(b.seq) + ", older than " + SeqText(a.seq) +
                  ": it read a state from before the one the earlier read saw");
    v_.SetCycle(g);
    v_.SetWindow(a.complete, b.invoke);
  }

  const History& h_;
  const Stream& s_;
  const Candidate& c_;
  Violation v_;
};

}  // namespace

Violation Explain(const History& history, const StreamOps& ops, const Candidate& candidate) {
  return Explainer(history, ops, candidate).Run();
}

}  // namespace jepsen::checker::checkpoint
