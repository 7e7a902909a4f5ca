#include "checker/report/store_index.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "checker/report/atomic_file.h"
#include "checker/report/report_assets.h"
#include "checker/report/run_settings.h"
#include "checker/report/script_json.h"
#include "history/event.h"

namespace jepsen::checker::report {
namespace {

namespace fs = std::filesystem;
using history::Json;

struct Run {
  std::string test;   // <workload>-<nemesis>
  std::string stamp;  // the run directory's name, a UTC timestamp
  Json results;       // null when unreadable
  bool has_report = false;
  std::map<std::string, std::string> settings;  // DecidingSettings, by name
};

// The history's header (its first line), for the options that decided the
// verdict; null when unreadable.
Json ReadHeader(const fs::path& history) {
  std::ifstream in(history);
  std::string line;
  if (!in || !std::getline(in, line)) return nullptr;
  Json header = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  return header.is_object() ? header : Json();
}

// "20240131T120102.345" -> "2024-01-31 12:01:02 UTC"; anything else as it is.
std::string StampText(const std::string& stamp) {
  if (stamp.size() < 15 || stamp[8] != 'T') return stamp;
  return stamp.substr(0, 4) + "-" + stamp.substr(4, 2) + "-" + stamp.substr(6, 2) + " " +
         stamp.substr(9, 2) + ":" + stamp.substr(11, 2) + ":" + stamp.substr(13, 2) + " UTC";
}

std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string Field(const Json& results, const char* name, const std::string& fallback) {
  if (!results.is_object() || !results.contains(name)) return fallback;
  return Text(results[name]);
}

std::string SettingText(const Run& run, const std::string& name) {
  auto it = run.settings.find(name);
  return it == run.settings.end() ? "" : it->second;
}

std::string Row(const Run& run, const std::vector<std::string>& options) {
  const Json& r = run.results;
  const std::string verdict = r.is_object() ? Field(r, "verdict", "?") : "no results";
  const std::string href = run.test + "/" + run.stamp + "/" +
                           (run.has_report ? "report.html"
                            : r.is_null()  ? ""
                                           : "results.json");
  std::ostringstream out;
  std::string ops = "";
  if (r.is_object() && r.contains("counts") && r["counts"].is_object()) {
    const Json& c = r["counts"];
    ops = Field(c, "ops", "") + " ops · " + Field(c, "ok", "0") + " ok · " + Field(c, "fail", "0") +
          " fail · " + Field(c, "info", "0") + " info";
  }
  const std::string workload = Field(r, "workload", run.test), system = Field(r, "system", "");
  out << "<tr data-verdict=\"" << HtmlEscape(verdict) << "\" data-workload=\""
      << HtmlEscape(workload) << "\" data-system=\"" << HtmlEscape(system) << "\">"
      << "<td class=\"time\">" << HtmlEscape(StampText(run.stamp)) << "</td>"
      << "<td>" << HtmlEscape(workload) << "</td>"
      << "<td>" << HtmlEscape(system) << "</td>"
      << "<td>" << HtmlEscape(SettingText(run, "nemesis")) << "</td>";
  for (const std::string& name : options) {
    out << "<td class=\"opt\">" << HtmlEscape(SettingText(run, name)) << "</td>";
  }
  out << "<td>" << HtmlEscape(SettingText(run, "bugs")) << "</td>"
      << "<td><span class=\"verdict v-" << HtmlEscape(verdict) << "\">" << HtmlEscape(verdict)
      << "</span>" << (Field(r, "interrupted", "false") == "true" ? " (interrupted)" : "")
      << "</td>"
      << "<td class=\"num\">" << HtmlEscape(ops) << "</td>"
      << "<td class=\"num\">" << HtmlEscape(Field(r, "seed", "")) << "</td>"
      << "<td class=\"num\">" << HtmlEscape(SettingText(run, "duration")) << "</td>"
      << "<td>";
  if (href.back() != '/') {
    out << "<a href=\"" << HtmlEscape(href) << "\">" << (run.has_report ? "report" : "results.json")
        << "</a>";
  }
  out << "</td></tr>\n";
  return out.str();
}

}  // namespace

Status WriteStoreIndex(const std::string& store_dir) {
  std::error_code error;
  std::vector<Run> runs;
  for (const fs::directory_entry& test : fs::directory_iterator(store_dir, error)) {
    if (test.is_symlink() || !test.is_directory()) continue;  // store/latest
    std::error_code inner;
    for (const fs::directory_entry& dir : fs::directory_iterator(test.path(), inner)) {
      if (dir.is_symlink() || !dir.is_directory()) continue;
      Run run;
      run.test = test.path().filename().string();
      run.stamp = dir.path().filename().string();
      std::ifstream in(dir.path() / "results.json");
      if (in) {
        run.results = Json::parse(in, nullptr, /*allow_exceptions=*/false);
        if (run.results.is_discarded()) run.results = nullptr;
      }
      run.has_report = fs::exists(dir.path() / "report.html", inner);
      for (const Setting& s :
           DecidingSettings(ReadHeader(dir.path() / "history.jsonl"), run.results)) {
        run.settings[s.name] = s.text;
      }
      runs.push_back(std::move(run));
    }
  }
  if (error) return Status::Error(store_dir + ": cannot list the store: " + error.message());
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) {
    return a.stamp != b.stamp ? a.stamp > b.stamp : a.test < b.test;
  });

  // A column per deciding option that some run has.
  std::vector<std::string> options;
  for (const std::string& name : DecidingOptions()) {
    if (std::any_of(runs.begin(), runs.end(),
                    [&](const Run& run) { return run.settings.count(name) > 0; })) {
      options.push_back(name);
    }
  }
  size_t invalid = 0;
  std::string rows;
  for (const Run& run : runs) {
    rows += Row(run, options);
    if (run.results.is_object() && Field(run.results, "verdict", "") == "invalid") ++invalid;
  }
  std::ostringstream page;
  page << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
       << "<title>jepsen store · " << runs.size() << " runs</title><style>" << assets::kIndexCss
       << "</style></head>\n<body data-runs=\"" << runs.size() << "\"><main>"
       << "<h1>Test runs</h1><p class=\"sub\">" << runs.size() << " runs in "
       << HtmlEscape(fs::absolute(store_dir).lexically_normal().string()) << " · " << invalid
       << " invalid · newest first</p>\n"
       << "<div id=\"filters\"></div>\n"
       << "<div class=\"table-wrap\"><table id=\"runs\"><thead><tr><th>time</th><th>workload</th>"
       << "<th>system</th><th>nemesis</th>";
  for (const std::string& name : options) page << "<th>" << HtmlEscape(name) << "</th>";
  page << "<th>bugs</th><th>verdict</th><th>ops</th><th>seed</th><th>duration</th><th></th></tr>"
       << "</thead>\n<tbody>\n"
       << rows << "</tbody></table></div>"
       << (runs.empty() ? "<p class=\"sub\">No runs yet.</p>" : "") << "<script>"
       << assets::kIndexJs << "</script></main></body></html>\n";

  return WriteFileAtomically((fs::path(store_dir) / "index.html").string(), page.str());
}

}  // namespace jepsen::checker::report
