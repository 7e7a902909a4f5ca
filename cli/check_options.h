// jepsen-check's command line: history files and options, each option as
// `--key value`, `--key=value` or `key=value` (when no file has that name).
#ifndef JEPSEN_CLI_CHECK_OPTIONS_H_
#define JEPSEN_CLI_CHECK_OPTIONS_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/check_command.h"

namespace jepsen::cli {

// Parses `args` (without the program name) into `command`. Returns the exit
// code when jepsen-check should stop now: 0 after printing --help to `out`,
// 254 for bad usage (the message on `err`); nullopt to go on and check.
std::optional<int> ParseCheckArgs(const std::vector<std::string>& args, CheckCommand& command,
                                  std::ostream& out, std::ostream& err);

}  // namespace jepsen::cli

#endif  // JEPSEN_CLI_CHECK_OPTIONS_H_
