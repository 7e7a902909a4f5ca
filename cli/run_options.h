// jepsen-run's command line: options as `key=value`, `--key value` or
// `--key=value`, every number checked against its documented range.
#ifndef JEPSEN_CLI_RUN_OPTIONS_H_
#define JEPSEN_CLI_RUN_OPTIONS_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "runner/runner.h"

namespace jepsen::cli {

struct RunArgs {
  runner::RunOptions options;
  std::string junit;   // "" = none; else a JUnit XML report here
  std::string replay;  // "" = run a test; else re-check this stored run
};

// Parses `args` (without the program name) into `run`. Returns the exit code
// when jepsen-run should stop now: 0 after printing --help to `out`, 254 for
// bad usage (the message on `err`); nullopt to go on.
std::optional<int> ParseRunArgs(const std::vector<std::string>& args, RunArgs& run,
                                std::ostream& out, std::ostream& err);

}  // namespace jepsen::cli

#endif  // JEPSEN_CLI_RUN_OPTIONS_H_
