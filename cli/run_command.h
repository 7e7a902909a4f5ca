// `jepsen-run`: runs a test (or re-checks a stored one), prints the summary,
// writes the JUnit report and decides the exit code. main() only parses the
// command line into RunArgs (run_options.h) and calls this.
#ifndef JEPSEN_CLI_RUN_COMMAND_H_
#define JEPSEN_CLI_RUN_COMMAND_H_

#include <ostream>

#include "cli/run_options.h"

namespace jepsen::cli {

// Exit codes: 0 valid, 1 invalid, 2 unknown (also an interrupted run that was
// not already invalid), 254 when the run cannot start or be re-checked, or its
// record (results.json, report.html, store/index.html, the JUnit report)
// cannot be written. Progress and the summary go to `out` (a live line when
// `live`), errors to `err`.
int RunCommand(const RunArgs& args, std::ostream& out, std::ostream& err, bool live);

}  // namespace jepsen::cli

#endif  // JEPSEN_CLI_RUN_COMMAND_H_
