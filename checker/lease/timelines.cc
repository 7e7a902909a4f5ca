#include "checker/lease/timelines.h"

#include <algorithm>
#include <limits>
#include <map>

namespace jepsen::checker::lease {
namespace {

using history::EventType;
using history::Json;

const char* OutcomeName(EventType outcome) {
  return outcome == EventType::kOk ? "ok" : outcome == EventType::kFail ? "fail" : "info";
}

Json Time(int64_t t) { return t == kNever ? Json() : Json(t); }

// The stretches of time near a resource's reported violations.
class Near {
 public:
  void All() { all_ = true; }  // all of time
  void Add(int64_t from, int64_t to) {
    // Saturating: times may lie at the ends of int64 (edge values, holds that never end).
    int64_t span = 0, low = 0, high = 0;
    if (__builtin_sub_overflow(to, from, &span)) span = kNever;
    const int64_t pad = span / 4 + 1;
    if (__builtin_sub_overflow(from, pad, &low)) low = std::numeric_limits<int64_t>::min();
    if (__builtin_add_overflow(to, pad, &high) || high > kNever) high = kNever;
    spans_.emplace_back(low, high);
  }
  bool Overlaps(int64_t from, int64_t to) const {
    if (all_) return true;
    for (const auto& [a, b] : spans_) {
      if (from <= b && to >= a) return true;
    }
    return false;
  }

 private:
  std::vector<std::pair<int64_t, int64_t>> spans_;
  bool all_ = false;
};

struct ForResource {
  std::vector<const Candidate*> overlaps;
  Near near;
};

Json Timeline(const history::History& history, const Resource& r, const ResourceState& state,
              const ForResource& mine) {
  // Holders by grant index; only those near a violation are kept (-1: left out).
  std::vector<int64_t> last_end(r.grants.size(), 0);
  for (const Segment& s : state.holds.segments) {
    last_end[s.grant] = std::max(last_end[s.grant], s.end);
  }
  std::vector<int32_t> position(r.grants.size(), -1);
  for (const Candidate* c : mine.overlaps) {  // an overlap's two holders always
    position[state.holds.segments[c->a].grant] = 0;
    position[state.holds.segments[c->b].grant] = 0;
  }
  Json holders = Json::array();
  for (uint32_t i = 0; i < r.grants.size(); ++i) {
    const Grant& g = r.grants[i];
    if (position[i] < 0 && !mine.near.Overlaps(g.invoke, std::max(g.complete, last_end[i]))) {
      continue;
    }
    position[i] = static_cast<int32_t>(holders.size());
    holders.push_back({{"grant", g.op},
                       {"process", history.invocation(history.ops[g.op]).process},
                       {"token", g.token},
                       {"invoke", g.invoke},
                       {"complete", g.complete},
                       {"windows", Json::array()}});
  }
  for (const Segment& s : state.holds.segments) {
    if (position[s.grant] < 0) continue;
    holders[position[s.grant]]["windows"].push_back({{"start", s.start},
                                                     {"end", Time(s.end)},
                                                     {"start_op", s.start_op},
                                                     {"end_op", s.end_op},
                                                     {"released", s.released}});
  }
  Json fenced = Json::array();
  for (const TokenOp& w : r.writes) {
    if (!mine.near.Overlaps(w.invoke, w.complete)) continue;
    fenced.push_back(
        {{"op", w.op}, {"f", "write"}, {"token", w.token}, {"outcome", OutcomeName(w.outcome)}});
  }
  for (uint32_t op : r.rw_ops) {
    const history::Op& o = history.ops[op];
    const int64_t complete =
        o.completion == history::Op::kNone ? kNever : history.events[o.completion].time;
    if (history.invocation(o).f != "read" ||
        !mine.near.Overlaps(history.invocation(o).time, complete)) {
      continue;
    }
    Json token;
    if (o.completion != history::Op::kNone) {
      const Json& seen = history.events[o.completion].value;
      if (seen.is_object() && seen.contains("token") && seen["token"].is_number_integer()) {
        token = seen["token"];
      }
    }
    fenced.push_back(
        {{"op", op}, {"f", "read"}, {"token", token}, {"outcome", OutcomeName(o.outcome)}});
  }
  Json pairs = Json::array();
  for (const Candidate* c : mine.overlaps) {
    const Segment& a = state.holds.segments[c->a];
    const Segment& b = state.holds.segments[c->b];
    pairs.push_back({{"a", position[a.grant]},
                     {"b", position[b.grant]},
                     {"from", std::max(a.start, b.start)},
                     {"to", Time(std::min(a.end, b.end))}});
  }
  return {{"key", r.key},
          {"holders", std::move(holders)},
          {"fenced", std::move(fenced)},
          {"overlaps", std::move(pairs)}};
}

}  // namespace

Json HoldTimelines(const history::History& history, const LeaseOps& ops,
                   const std::vector<ResourceState>& states,
                   const std::vector<Reported>& reported) {
  std::map<uint32_t, ForResource> by_resource;  // in order of first appearance
  for (const Reported& r : reported) {
    ForResource& mine = by_resource[r.candidate->resource];
    if (r.candidate->why == Why::kOverlap) mine.overlaps.push_back(r.candidate);
    mine.near.Add(r.from, r.to);
  }
  Json out = Json::array();
  for (const auto& [resource, mine] : by_resource) {
    out.push_back(Timeline(history, ops.resources[resource], states[resource], mine));
  }
  return out;
}

Json EveryTimeline(const history::History& history, const LeaseOps& ops,
                   const std::vector<ResourceState>& states) {
  Json out = Json::array();
  if (ops.ops > kEveryResourceOps) return out;
  ForResource whole;
  whole.near.All();
  for (size_t i = 0; i < ops.resources.size(); ++i) {
    out.push_back(Timeline(history, ops.resources[i], states[i], whole));
  }
  return out;
}

}  // namespace jepsen::checker::lease
