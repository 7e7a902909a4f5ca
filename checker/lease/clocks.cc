#include "checker/lease/clocks.h"

#include <cstdio>
#include <map>

#include "checker/graph/time_text.h"

namespace jepsen::checker::lease {
namespace {

using history::Json;

void Add(const Json& value, int64_t time, std::vector<ClockChange>& out) {
  if (value.is_array()) {  // the final heal: what each package healed
    for (const Json& item : value) Add(item, time, out);
    return;
  }
  if (!value.is_object()) return;
  auto clocks = value.find("clocks");
  if (clocks == value.end() || !clocks->is_object()) return;
  for (const auto& [node, setting] : clocks->items()) {
    if (!setting.is_object()) continue;
    const Json offset = setting.value("offset_s", Json()), rate = setting.value("rate", Json());
    if (!offset.is_number() || !rate.is_number()) continue;
    out.push_back({time, node, offset.get<double>(), rate.get<double>()});
  }
}

bool Real(const ClockChange& c) { return c.offset_s == 0 && c.rate == 1; }

std::string Describe(const history::History& history, const ClockChange& c) {
  char text[96];
  if (c.rate != 1) {
    std::snprintf(text, sizeof text, "x%g since %s, %+.3f s off real time then", c.rate,
                  graph::At(history, c.time).c_str(), c.offset_s);
  } else {
    std::snprintf(text, sizeof text, "%+.3f s off real time since %s", c.offset_s,
                  graph::At(history, c.time).c_str());
  }
  return c.node + "'s clock (" + text + ")";
}

}  // namespace

std::vector<ClockChange> ClockChanges(const history::History& history) {
  std::vector<ClockChange> changes;
  for (const history::Event& e : history.events) {
    if (e.is_nemesis() && e.is_completion() && e.error.empty()) Add(e.value, e.time, changes);
  }
  return changes;
}

std::string ClockSkewText(const history::History& history, const std::vector<ClockChange>& changes,
                          int64_t from, int64_t to) {
  if (changes.empty() || from > to) return "";
  std::map<std::string, const ClockChange*> at_from;  // each node's setting when `from` came
  std::vector<const ClockChange*> skewed;
  for (const ClockChange& c : changes) {
    if (c.time <= from) {
      at_from[c.node] = &c;
    } else if (c.time <= to && !Real(c)) {
      skewed.push_back(&c);
    }
  }
  for (const auto& [node, c] : at_from) {
    if (!Real(*c)) skewed.insert(skewed.begin(), c);
  }
  if (skewed.empty()) return "";
  std::string out;
  for (const ClockChange* c : skewed) out += (out.empty() ? "" : ", ") + Describe(history, *c);
  return "; " + out + (skewed.size() == 1 ? " was" : " were") + " skewed at that time";
}

}  // namespace jepsen::checker::lease
