#include "checker/report/run_report.h"

#include <string>
#include <vector>

#include "checker/check_result.h"
#include "checker/report/report.h"
#include "history/jsonl.h"

namespace jepsen::checker::report {

using history::Json;

Status WriteRunReport(const std::string& run_dir, const Json& results) {
  Result<history::History> history = history::ReadJsonl(run_dir + "/history.jsonl");
  if (!history.ok()) return history.status();
  // The checks as the run decided them, read back through their codec.
  std::vector<CheckResult> checks;
  if (results.contains("checks")) {
    Result<std::vector<CheckResult>> read =
        CheckResultsFromJson(results["checks"], run_dir + "/results.json: checks");
    if (!read.ok()) return read.status();
    checks = std::move(read).value();
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
