#include "checker/report/report.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "checker/checker.h"
#include "checker/report/atomic_file.h"
#include "checker/report/faults.h"
#include "checker/report/report_assets.h"
#include "checker/report/run_settings.h"
#include "checker/report/script_json.h"

namespace jepsen::checker::report {
namespace {

using history::Json;

std::string UtcNow() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

// Small integers stand for repeated strings and keys, so a 100,000-op page
// stays a few megabytes.
class Interner {
 public:
  int Id(const Json& value) {
    auto [it, added] = ids_.try_emplace(value.dump(), static_cast<int>(values_.size()));
    if (added) values_.push_back(value);
    return it->second;
  }
  Json Values() && { return std::move(values_); }

 private:
  std::unordered_map<std::string, int> ids_;
  Json values_ = Json::array();
};

// Events as columns (faster to parse than rows, and smaller): type, process
// (-1 nemesis), f and key as ids into the tables (-1: no key), value, time as
// differences from the previous event's (times never go backwards), index
// and line as an offset from the position when every event follows it (the
// common case), else as columns; node, error and other keys in `more`, by
// position, only for the events that have them.
Json EventColumns(const history::History& history, Interner& fs, Interner& keys) {
  const auto& events = history.events;
  Json type = Json::array(), process = Json::array(), f = Json::array(), key = Json::array(),
       value = Json::array(), time = Json::array(), more = Json::object();
  int64_t last_time = 0;
  bool index_offset = true, line_offset = true;
  const int64_t index_base = events.empty() ? 0 : events[0].index;
  const int64_t line_base = events.empty() ? 0 : events[0].line;
  for (size_t i = 0; i < events.size(); ++i) {
    const history::Event& e = events[i];
    type.push_back(static_cast<int>(e.type));
    process.push_back(e.process);
    f.push_back(fs.Id(e.f));
    key.push_back(e.key.is_null() ? -1 : keys.Id(e.key));
    value.push_back(e.value);
    time.push_back(e.time - last_time);
    last_time = e.time;
    const auto at = static_cast<int64_t>(i);
    index_offset = index_offset && e.index == index_base + at;
    line_offset = line_offset && e.line == line_base + at;
    Json extra = e.extra.is_object() ? e.extra : Json::object();
    if (!e.node.empty()) extra["node"] = e.node;
    if (!e.error.empty()) extra["error"] = e.error;
    if (!extra.empty()) more[std::to_string(i)] = std::move(extra);
  }
  Json out = {{"count", events.size()},        {"type", std::move(type)},
              {"process", std::move(process)}, {"f", std::move(f)},
              {"key", std::move(key)},         {"value", std::move(value)},
              {"time_delta", std::move(time)}, {"more", std::move(more)}};
  auto column = [&](const char* name, bool offset, int64_t base, int64_t history::Event::*field) {
    if (offset) {
      out[std::string(name) + "_offset"] = base;
      return;
    }
    Json values = Json::array();
    for (const history::Event& e : events) values.push_back(e.*field);
    out[name] = std::move(values);
  };
  column("index", index_offset, index_base, &history::Event::index);
  column("line", line_offset, line_base, &history::Event::line);
  return out;
}

Json Counts(const history::History& history) {
  Json by_f = Json::object();
  int64_t ok = 0, fail = 0, info = 0;
  for (const history::Op& op : history.ops) {
    Json& row = by_f[history.invocation(op).f];
    if (row.is_null()) row = {{"ok", 0}, {"fail", 0}, {"info", 0}};
    const char* type = op.outcome == history::EventType::kOk     ? "ok"
                       : op.outcome == history::EventType::kFail ? "fail"
                                                                 : "info";
    row[type] = row[type].get<int64_t>() + 1;
    (op.outcome == history::EventType::kOk     ? ok
     : op.outcome == history::EventType::kFail ? fail
                                               : info)++;
  }
  return {{"ops", history.ops.size()}, {"ok", ok}, {"fail", fail}, {"info", info}, {"by_f", by_f}};
}

Json FaultsJson(const history::History& history) {
  Json out = Json::array();
  for (const FaultPeriod& p : FaultPeriods(history)) {
    const bool ended = p.end_event != FaultPeriod::kNone;
    out.push_back({{"f", p.f},
                   {"kind", p.kind.name.empty() ? Json() : Json(p.kind.name)},
                   {"family", p.kind.family},
                   {"label", p.kind.label},
                   {"color", p.kind.color},
                   {"target", p.target},
                   {"effect", p.effect},
                   {"row", p.row},
                   {"begin", p.begin},
                   {"end", p.end},
                   {"begin_event", p.begin_event},
                   {"end_event", ended ? Json(p.end_event) : Json()},
                   {"end_f", ended ? Json(history.events[p.end_event].f) : Json()},
                   {"instant", p.instant},
                   {"error", p.error.empty() ? Json() : Json(p.error)}});
  }
  return out;
}

// The template with each {{NAME}} replaced, in one pass over the template
// only, so no inserted text (a script, a history's strings) is ever scanned.
std::string Fill(std::string_view page,
                 const std::vector<std::pair<std::string_view, std::string_view>>& fields) {
  std::string out;
  size_t at = 0;
  while (at < page.size()) {
    const size_t open = page.find("{{", at);
    if (open == std::string_view::npos) break;
    const size_t close = page.find("}}", open);
    if (close == std::string_view::npos) break;
    const std::string_view name = page.substr(open + 2, close - open - 2);
    out += page.substr(at, open - at);
    bool found = false;
    for (const auto& [field, text] : fields) {
      if (field == name) {
        out += text;
        found = true;
      }
    }
    if (!found) out += page.substr(open, close + 2 - open);
    at = close + 2;
  }
  out += page.substr(at);
  return out;
}

}  // namespace

Json ReportData(const history::History& history, const std::vector<CheckResult>& results,
                const ReportInfo& info) {
  Interner fs, keys;
  Json events = EventColumns(history, fs, keys);
  Json ops = Json::array();
  for (const history::Op& op : history.ops) {
    ops.push_back(op.invoke);
    ops.push_back(op.completion == history::Op::kNone ? -1 : static_cast<int64_t>(op.completion));
  }
  // Each check as results.json has it, and the report section its
  // checker's registration names (report.js draws its violations by it).
  Json checks = Json::array();
  for (const CheckResult& r : results) {
    Json check = ToJson(r);
    const Checker* checker = FindChecker(r.checker);
    check["section"] = checker != nullptr ? checker->report_section : "";
    checks.push_back(std::move(check));
  }
  Json settings = Json::array();
  for (const Setting& s : DecidingSettings(history.header, info.run)) {
    settings.push_back({s.name, s.text});
  }
  return {{"format", "jepsen-report/1"},
          {"title", info.title.empty() ? history.source : info.title},
          {"source", history.source},
          {"generated_by", info.generated_by},
          {"generated_at", UtcNow()},
          {"header", history.header},
          {"run", info.run.is_object() ? info.run : Json::object()},
          {"settings", std::move(settings)},
          {"has_time", history.has_time},
          {"verdict", results.empty() ? "unknown" : ToString(Overall(results))},
          {"checks", std::move(checks)},
          {"counts", Counts(history)},
          {"faults", FaultsJson(history)},
          {"fs", std::move(fs).Values()},
          {"keys", std::move(keys).Values()},
          {"events", std::move(events)},
          {"ops", std::move(ops)},
          {"warnings", history.warnings}};
}

std::string RenderHtml(const history::History& history, const std::vector<CheckResult>& results,
                       const ReportInfo& info) {
  const Json data = ReportData(history, results, info);
  const std::string title = data["verdict"].get<std::string>() + " · " +
                            data["title"].get<std::string>() + " · jepsen report";
  const std::string escaped_title = HtmlEscape(title);
  const std::string json = ScriptSafeJson(data);
  return Fill(assets::kReportHtml, {{"TITLE", escaped_title},
                                    {"CSS", assets::kReportCss},
                                    {"JS", assets::kReportJs},
                                    {"DATA", json}});
}

Status WriteHtml(const std::string& path, const history::History& history,
                 const std::vector<CheckResult>& results, const ReportInfo& info) {
  return WriteFileAtomically(path, RenderHtml(history, results, info));
}

}  // namespace jepsen::checker::report
