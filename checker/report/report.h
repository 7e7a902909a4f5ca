// HTML reports: one self-contained page per checked history (summary,
// timeline with fault bands, violations with their ops, latency and
// throughput), and an index of a store's runs.
#ifndef JEPSEN_CHECKER_REPORT_REPORT_H_
#define JEPSEN_CHECKER_REPORT_REPORT_H_

#include <string>
#include <vector>

#include "checker/check_result.h"
#include "history/history.h"

namespace jepsen::checker::report {

struct ReportInfo {
  std::string title;  // "" = the history's source
  // Shown in the summary as the run's settings: jepsen-run passes its
  // results.json (workload, nemesis, seed, bugs, counts...), jepsen-check the
  // options it checked with. Objects only.
  history::Json run = history::Json::object();
  std::string generated_by = "jepsen-check";
};

// The page's data: what RenderHtml embeds and its script draws from. Events
// are columns (see EventColumns in report.cc); ops are pairs of positions in
// events (-1: never completed).
history::Json ReportData(const history::History& history, const std::vector<CheckResult>& results,
                         const ReportInfo& info);

// The whole page: inline CSS, script and data (script-safe JSON), nothing
// fetched, so it opens from disk anywhere.
std::string RenderHtml(const history::History& history, const std::vector<CheckResult>& results,
                       const ReportInfo& info);

// RenderHtml written to `path` (replaced atomically: a reader never sees half
// a page). Errors name the path.
Status WriteHtml(const std::string& path, const history::History& history,
                 const std::vector<CheckResult>& results, const ReportInfo& info);

}  // namespace jepsen::checker::report

#endif  // JEPSEN_CHECKER_REPORT_REPORT_H_
