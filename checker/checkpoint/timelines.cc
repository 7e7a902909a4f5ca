#include "checker/checkpoint/timelines.h"

#include <algorithm>
#include <map>

namespace jepsen::checker::checkpoint {
namespace {

using history::EventType;
using history::Json;

Json Seq(const Read& r) { return r.null ? Json() : Json(r.seq); }

Json Timeline(const Stream& s, const std::vector<const Candidate*>& lost) {
  Json checkpoints = Json::array();
  std::vector<const Checkpoint*> acks;
  for (const Checkpoint& c : s.checkpoints) {
    const char* outcome = c.outcome == EventType::kOk     ? "ok"
                          : c.outcome == EventType::kFail ? "fail"
                                                          : "info";
    checkpoints.push_back({{"op", c.op}, {"seq", c.seq}, {"outcome", outcome}});
    if (c.outcome == EventType::kOk) acks.push_back(&c);
  }
  std::stable_sort(acks.begin(), acks.end(), [](const Checkpoint* a, const Checkpoint* b) {
    return a->complete < b->complete;
  });
  Json acked = Json::array();
  for (const Checkpoint* c : acks) {
    if (acked.empty() || c->seq > acked.back()[1].get<int64_t>()) {
      acked.push_back({c->complete, c->seq});
    }
  }
  Json reads = Json::array();
  for (const Read& r : s.reads) reads.push_back({{"op", r.op}, {"seq", Seq(r)}});
  Json marks = Json::array();
  for (const Candidate* c : lost) {
    const Checkpoint& a = s.checkpoints[c->a];
    const Read& b = s.reads[c->b];
    marks.push_back({{"checkpoint", a.op}, {"seq", a.seq}, {"read", b.op}, {"read_seq", Seq(b)}});
  }
  return {{"key", s.key},
          {"acked", std::move(acked)},
          {"checkpoints", std::move(checkpoints)},
          {"reads", std::move(reads)},
          {"lost", std::move(marks)}};
}

}  // namespace

Json SeqTimelines(const StreamOps& ops, const std::vector<const Candidate*>& reported) {
  std::map<uint32_t, std::vector<const Candidate*>> lost;  // by stream, in order
  for (const Candidate* c : reported) {
    std::vector<const Candidate*>& mine = lost[c->stream];
    if (c->why == Why::kLostAck) mine.push_back(c);
  }
  Json out = Json::array();
  for (const auto& [stream, mine] : lost) out.push_back(Timeline(ops.streams[stream], mine));
  return out;
}

}  // namespace jepsen::checker::checkpoint
