// store/index.html: every run under a jepsen-run store, newest first, with
// its verdict and a link to its report.
#ifndef JEPSEN_CHECKER_REPORT_STORE_INDEX_H_
#define JEPSEN_CHECKER_REPORT_STORE_INDEX_H_

#include <string>

#include "history/status.h"

namespace jepsen::checker::report {

// Scans <store_dir>/<test>/<timestamp>/results.json and (re)writes
// <store_dir>/index.html. Runs without a readable results.json (still running,
// interrupted before checking) are listed as such. Errors name the path.
Status WriteStoreIndex(const std::string& store_dir);

}  // namespace jepsen::checker::report

#endif  // JEPSEN_CHECKER_REPORT_STORE_INDEX_H_
