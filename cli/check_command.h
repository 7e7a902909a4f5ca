// `jepsen-check`: loads histories, runs their checks, prints verdicts and
// writes machine-readable results. main() only parses flags into this.
#ifndef JEPSEN_CLI_CHECK_COMMAND_H_
#define JEPSEN_CLI_CHECK_COMMAND_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "history/event.h"
#include "options/number.h"

namespace jepsen::cli {

struct CheckCommand {
  std::vector<std::string> files;
  std::string format = "auto";  // auto | jsonl | edn | etcd-log
  // A registered checker (checker/registry.h); "" = from the model or the
  // header's workload.
  std::string checker;
  std::string model;              // one of a checker's models; "" = from the header's workload
  bool independent = false;       // split Jepsen [k v] values into keys
  double time_limit_seconds = 0;  // per file, counted from its reading on; 0 = none
  double memory_limit_mb = 0;     // per file; 0 = none
  unsigned threads = 0;           // 0 = one per hardware thread
  // The checkers' own options (initial, nil-read, drift, max-violations:
  // checker::CheckerOptions()), by name, typed as their kind; absent = the
  // declared default.
  std::map<std::string, history::Json> checker_options;
  std::string json_out;   // "" = none, "-" = stdout
  std::string junit_out;  // "" = none; JUnit XML, a test suite per file
  // "" = none; else an HTML report: this file for one history, or with
  // several (or when it is a directory) <html_out>/<history file name>.html.
  std::string html_out;
  // A live progress line on `err` (main sets it when stderr is a terminal).
  bool progress = false;
};

// The ranges of CheckCommand's numbers, shown by --help; RunCheck refuses
// values outside them (exit 254).
inline constexpr options::Range<double> kTimeLimitRange{0, 1000000};     // seconds (11.6 days)
inline constexpr options::Range<double> kMemoryLimitRange{0, 16777216};  // MiB (16 TiB)
inline constexpr options::Range<unsigned> kThreadsRange{0, 1024};

// Exit codes: 0 valid, 1 invalid, 2 unknown, 254 bad usage or unreadable
// input (any file), 255 internal error. With several files: the worst.
int RunCheck(const CheckCommand& command, std::ostream& out, std::ostream& err);

}  // namespace jepsen::cli

#endif  // JEPSEN_CLI_CHECK_COMMAND_H_
