// How both tools read their command lines, on top of CLI11: numeric options
// checked against a documented range (CLI11 alone takes "nan", "inf", "-1"
// for an unsigned and overflow), `key=value` arguments, and unknown options
// answered with the nearest known name.
#ifndef JEPSEN_CLI_OPTIONS_H_
#define JEPSEN_CLI_OPTIONS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "history/status.h"
#include "options/number.h"
#include "options/option.h"

namespace jepsen::cli {

using options::NearestName;
using options::Range;

// Adds `--name` as a numeric option stored in `value`; its help ends with the
// range, and its shown default is `value` as it is now.
template <typename T>
CLI::Option* AddNumber(CLI::App& app, const std::string& name, T& value, const Range<T>& range,
                       const std::string& help);

// Rewrites arguments into the form CLI11 reads without ambiguity: every value
// option as `--key=value`, whether given as `--key value`, `--key=value` or
// `key=value`. A bare `key=value` is an option when `is_option(argument)`
// says so (jepsen-run: always; jepsen-check: unless a file has that name);
// other bare arguments are passed on as positionals. Unknown option names are
// errors naming the nearest known one.
Result<std::vector<std::string>> NormalizeArguments(
    const CLI::App& app, const std::vector<std::string>& args,
    const std::function<bool(const std::string& argument)>& is_option);

// Prints a usage error as both tools do ("<app>: error: <message>" and a
// pointer to --help) and returns its exit code, 254.
int UsageError(const CLI::App& app, const std::string& message, std::ostream& err);

// Parses `args` (without the program name) into `app`'s options. Returns the
// exit code when the program should stop now: 0 after printing --help to
// `out`, 254 for bad usage (the message, after the app's name, on `err`);
// nullopt to go on.
std::optional<int> ParseArguments(CLI::App& app, const std::vector<std::string>& args,
                                  const std::function<bool(const std::string&)>& is_option,
                                  std::ostream& out, std::ostream& err);

}  // namespace jepsen::cli

#endif  // JEPSEN_CLI_OPTIONS_H_
