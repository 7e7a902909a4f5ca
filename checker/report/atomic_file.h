// Files people and tools read while runs come and go (results.json,
// report.html, store/index.html) are replaced whole or not at all.
#ifndef JEPSEN_CHECKER_REPORT_ATOMIC_FILE_H_
#define JEPSEN_CHECKER_REPORT_ATOMIC_FILE_H_

#include <string>
#include <string_view>

#include "history/status.h"

namespace jepsen::checker::report {

// Writes `content` to a temporary file beside `path` (a name of its own, so
// concurrent writers never share one), fsyncs it, renames it over `path` and
// fsyncs the directory. On any failure (a full disk, no such directory) the
// temporary file is removed, `path` is left as it was, and the error names
// `path` and the cause.
Status WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace jepsen::checker::report

#endif  // JEPSEN_CHECKER_REPORT_ATOMIC_FILE_H_
