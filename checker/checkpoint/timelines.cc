#include "checker/checkpoint/timelines.h"

#include <algorithm>
#include <map>

namespace jepsen::checker::checkpoint {
namespace {

using history::EventType;
using history::Json;

Json Seq(const Read& r) { return r.null ? Json() : Json(r.seq); }

// The stretches of time near a stream's reported violations.
struct ForStream {
  std::vector<const Candidate*> lost;
  std::vector<std::pair<int64_t, int64_t>> near;
  void Add(int64_t from, int64_t to) {
    const int64_t pad = (to - from) / 4 + 1;
    near.emplace_back(from - pad, to > kNever - pad ? kNever : to + pad);
  }
  bool Near(int64_t from, int64_t to) const {
    for (const auto& [a, b] : near) {
      if (from <= b && to >= a) return true;
    }
    return false;
  }
};

Json Timeline(const Stream& s, const ForStream& mine) {
  Json checkpoints = Json::array();
  std::vector<const Checkpoint*> acks;
  for (const Checkpoint& c : s.checkpoints) {
    if (c.outcome == EventType::kOk) acks.push_back(&c);
    if (!mine.Near(c.invoke, c.complete)) continue;
    const char* outcome = c.outcome == EventType::kOk     ? "ok"
                          : c.outcome == EventType::kFail ? "fail"
                                                          : "info";
    checkpoints.push_back({{"op", c.op}, {"seq", c.seq}, {"outcome", outcome}});
  }
  std::stable_sort(acks.begin(), acks.end(), [](const Checkpoint* a, const Checkpoint* b) {
    return a->complete < b->complete;
  });
  // The steps near a violation, each run of them from the step before it.
  std::vector<std::pair<int64_t, int64_t>> steps;
  for (const Checkpoint* c : acks) {
    if (steps.empty() || c->seq > steps.back().second) steps.emplace_back(c->complete, c->seq);
  }
  Json acked = Json::array();
  for (size_t i = 0; i < steps.size(); ++i) {
    const int64_t until = i + 1 < steps.size() ? steps[i + 1].first : kNever;
    if (mine.Near(steps[i].first, until)) acked.push_back({steps[i].first, steps[i].second});
  }
  Json reads = Json::array();
  for (const Read& r : s.reads) {
    if (mine.Near(r.invoke, r.complete)) reads.push_back({{"op", r.op}, {"seq", Seq(r)}});
  }
  Json marks = Json::array();
  for (const Candidate* c : mine.lost) {
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

Json SeqTimelines(const StreamOps& ops, const std::vector<Reported>& reported) {
  std::map<uint32_t, ForStream> by_stream;  // in order of first appearance
  for (const Reported& r : reported) {
    ForStream& mine = by_stream[r.candidate->stream];
    if (r.candidate->why == Why::kLostAck) mine.lost.push_back(r.candidate);
    mine.Add(r.from, r.to);
  }
  Json out = Json::array();
  for (const auto& [stream, mine] : by_stream) out.push_back(Timeline(ops.streams[stream], mine));
  return out;
}

}  // namespace jepsen::checker::checkpoint
