// jepsen-check: decides from a recorded history alone whether a system kept its promises.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/check_command.h"

int main(int argc, char** argv) {
  jepsen::cli::CheckCommand command;
  CLI::App app{
      "Checks recorded histories (JSONL, Jepsen EDN, Porcupine etcd logs): linearizability, "
      "lease exclusivity (L1-L4) and checkpoint monotonicity (C1-C4), chosen by the header's "
      "workload or --checker.\n"
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
  app.add_option("--time-limit", command.time_limit_seconds,
                 "Seconds per file before the verdict is unknown (0: none)");
  app.add_option("--memory-limit", command.memory_limit_mb,
                 "MiB of search memory per file before the verdict is unknown (0: none)");
  app.add_option("--threads", command.threads, "Worker threads (0: one per core)");
  app.add_option("--drift", command.drift,
                 "Leases: clock drift bound in [0, 1); holds last ttl*(1-drift) (default: the "
                 "header's options.drift, else 0.01)");
  app.add_option("--json", command.json_out, "Write machine-readable results here ('-': stdout)");
  app.add_option("--junit", command.junit_out,
                 "Write a JUnit XML report here for CI: a test suite per file, a test case per "
                 "checker");
  app.add_option("--html", command.html_out,
                 "Write a self-contained HTML report here (timeline, violations, latency); with "
                 "several files, or when this is a directory, as <dir>/<file name>.html");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 254;
  }
  try {
    return jepsen::cli::RunCheck(command, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "jepsen-check: internal error: " << e.what() << "\n";
    return 255;
  }
}
