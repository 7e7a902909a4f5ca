#include "cli/check_options.h"

#include <cctype>
#include <filesystem>

#include "cli/options.h"

namespace jepsen::cli {
namespace {

// `name=value` names an option unless a file of that name exists.
bool IsOption(const std::string& argument) {
  const std::string name = argument.substr(0, argument.find('='));
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  }
  std::error_code error;
  return !std::filesystem::exists(argument, error);
}

}  // namespace

std::optional<int> ParseCheckArgs(const std::vector<std::string>& args, CheckCommand& command,
                                  std::ostream& out, std::ostream& err) {
  CLI::App app{
      "Checks recorded histories (JSONL, Jepsen EDN, Porcupine etcd logs): linearizability, "
      "lease exclusivity (L1-L4) and checkpoint monotonicity (C1-C4), chosen by the header's "
      "workload or --checker.\n"
      "Options are --key value, --key=value or key=value.\n"
      "Exit codes: 0 valid, 1 invalid, 2 unknown (a budget ran out), 254 bad usage or input, "
      "255 internal error.",
      "jepsen-check"};
  app.add_option("files", command.files, "History files")->required();
  app.add_option("--format", command.format, "auto, jsonl, json-array, edn or etcd-log")
      ->default_val("auto");
  app.add_option("--checker", command.checker,
                 "linearizable, leases or checkpoints; default: from --model or the header's "
                 "workload (register/kv/... -> linearizable, leases, checkpoints)");
  app.add_option("--model", command.model,
                 "Linearizability model: register, cas-register, kv (a cas-register per key), "
                 "string-kv (Porcupine's get/put/append), multi-register, mutex, set, fifo-queue, "
                 "fenced-register");
  app.add_option("--initial", command.initial,
                 "Initial model value, JSON or EDN (e.g. 0, null, '\"\"', '{:x 0 :y 0}')");
  app.add_option("--nil-read", command.nil_read,
                 "What a read of nil means: unset (the initial value), any (observed nothing, as "
                 "Knossos), auto (any for Jepsen's EDN or JSON arrays)")
      ->default_val("auto");
  app.add_flag("--independent", command.independent,
               "Jepsen independent histories: values are [key value] pairs");
  AddNumber(app, "--time-limit", command.time_limit_seconds, kTimeLimitRange,
            "Seconds per file, reading it included, before the verdict is unknown (0: none)");
  AddNumber(app, "--memory-limit", command.memory_limit_mb, kMemoryLimitRange,
            "MiB of search memory per file before the verdict is unknown (0: none)");
  AddNumber(app, "--threads", command.threads, kThreadsRange, "Worker threads (0: one per core)");
  double drift = 0;
  CLI::Option* drift_option =
      AddNumber(app, "--drift", drift, kDriftRange,
                "Leases: clock drift bound; holds last ttl*(1-drift) (default: the header's "
                "options.drift, else 0.01)")
          ->default_str("");
  app.add_option("--json", command.json_out, "Write machine-readable results here ('-': stdout)");
  app.add_option("--junit", command.junit_out,
                 "Write a JUnit XML report here for CI: a test suite per file, a test case per "
                 "checker");
  app.add_option("--html", command.html_out,
                 "Write a self-contained HTML report here (timeline, violations, latency); with "
                 "several files, or when this is a directory, as <dir>/<file name>.html");
  std::optional<int> exit = ParseArguments(app, args, IsOption, out, err);
  if (!exit && drift_option->count() > 0) command.drift = drift;
  return exit;
}

}  // namespace jepsen::cli
