#include "checker/lease/timelines.h"

#include <algorithm>
#include <map>

namespace jepsen::checker::lease {
namespace {

using history::EventType;
using history::Json;

const char* OutcomeName(EventType outcome) {
  return outcome == EventType::kOk ? "ok" : outcome == EventType::kFail ? "fail" : "info";
}

Json Time(int64_t t) { return t == kNever ? Json() : Json(t); }

Json Timeline(const history::History& history, const Resource& r, const ResourceState& state,
              const std::vector<const Candidate*>& overlaps) {
  Json holders = Json::array();
  for (const Grant& g : r.grants) {
    holders.push_back({{"grant", g.op},
                       {"process", history.invocation(history.ops[g.op]).process},
                       {"token", g.token},
                       {"invoke", g.invoke},
                       {"complete", g.complete},
                       {"windows", Json::array()}});
  }
  for (const Segment& s : state.holds.segments) {
    holders[s.grant]["windows"].push_back({{"start", s.start},
                                           {"end", Time(s.end)},
                                           {"start_op", s.start_op},
                                           {"end_op", s.end_op},
                                           {"released", s.released}});
  }
  Json fenced = Json::array();
  for (const TokenOp& w : r.writes) {
    fenced.push_back(
        {{"op", w.op}, {"f", "write"}, {"token", w.token}, {"outcome", OutcomeName(w.outcome)}});
  }
  for (uint32_t op : r.rw_ops) {
    const history::Op& o = history.ops[op];
    if (history.invocation(o).f != "read") continue;
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
  for (const Candidate* c : overlaps) {
    const Segment& a = state.holds.segments[c->a];
    const Segment& b = state.holds.segments[c->b];
    pairs.push_back({{"a", a.grant},
                     {"b", b.grant},
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
                   const std::vector<const Candidate*>& reported) {
  std::map<uint32_t, std::vector<const Candidate*>> overlaps;  // by resource, in order
  for (const Candidate* c : reported) {
    std::vector<const Candidate*>& mine = overlaps[c->resource];
    if (c->why == Why::kOverlap) mine.push_back(c);
  }
  Json out = Json::array();
  for (const auto& [resource, mine] : overlaps) {
    out.push_back(Timeline(history, ops.resources[resource], states[resource], mine));
  }
  return out;
}

}  // namespace jepsen::checker::lease
