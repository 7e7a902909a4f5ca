// The report of a jepsen-run run directory: report.html beside its
// history.jsonl and results.json.
#ifndef JEPSEN_CHECKER_REPORT_RUN_REPORT_H_
#define JEPSEN_CHECKER_REPORT_RUN_REPORT_H_

#include <string>

#include "history/event.h"
#include "history/status.h"

namespace jepsen::checker::report {

// Reads <run_dir>/history.jsonl and writes <run_dir>/report.html with the
// checks in `results` (what the run wrote to results.json: its "checks" are
// shown as they are, not run again; the rest is the run's settings). Errors
// name the file.
Status WriteRunReport(const std::string& run_dir, const history::Json& results);

}  // namespace jepsen::checker::report

#endif  // JEPSEN_CHECKER_REPORT_RUN_REPORT_H_
