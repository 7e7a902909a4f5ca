#include "checker/report/run_report.h"

#include <string>
#include <vector>

#include "checker/check_result.h"
#include "checker/report/report.h"
#include "history/jsonl.h"

namespace jepsen::checker::report {
namespace {

using history::Json;

Verdict ParseVerdict(const Json& text) {
  if (text == "valid") return Verdict::kValid;
  if (text == "invalid") return Verdict::kInvalid;
  return Verdict::kUnknown;
}

}  // namespace

Status WriteRunReport(const std::string& run_dir, const Json& results) {
  Result<history::History> history = history::ReadJsonl(run_dir + "/history.jsonl");
  if (!history.ok()) return history.status();
  std::vector<CheckResult> checks;
  if (results.contains("checks") && results["checks"].is_array()) {
    for (const Json& c : results["checks"]) {
      if (!c.is_object()) continue;
      CheckResult r;
      r.checker = c.value("checker", "");
      r.verdict = ParseVerdict(c.value("verdict", Json()));
      r.summary = c.value("summary", "");
      r.explanation = c.value("explanation", "");
      r.details = c.value("details", Json::object());
      checks.push_back(std::move(r));
    }
  }
  ReportInfo info;
  info.generated_by = "jepsen-run";
  std::string stamp = run_dir;
  while (!stamp.empty() && stamp.back() == '/') stamp.pop_back();
  stamp = stamp.substr(stamp.find_last_of('/') + 1);
  info.title =
      results.value("workload", "run") + " · " + results.value("nemesis", "none") + " · " + stamp;
  if (results.is_object()) {
    for (const auto& [name, value] : results.items()) {
      if (name != "checks" && name != "counts" && name != "history") info.run[name] = value;
    }
  }
  return WriteHtml(run_dir + "/report.html", *history, checks, info);
}

}  // namespace jepsen::checker::report
