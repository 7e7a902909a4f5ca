// jepsen-run: one command, a real test: starts the system, drives clients
// while the nemesis injects faults, records the history, checks it.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "checker/junit.h"
#include "cli/duration_text.h"
#include "cli/run_options.h"
#include "runner/runner.h"

namespace {

// "3 faults (kill 2, client-pause 1; 1 more failed)": by kind, as the history's fault
// vocabulary names them.
std::string FaultsText(const jepsen::runner::RunReport& report) {
  std::string more;
  for (const auto& [kind, n] : report.faults_by_kind) {
    more += (more.empty() ? "" : ", ") + kind + " " + std::to_string(n);
  }
  if (report.failed_faults > 0) {
    more += (more.empty() ? "" : "; ") + std::to_string(report.failed_faults) + " more failed";
  }
  return std::to_string(report.faults) + " faults" + (more.empty() ? "" : " (" + more + ")");
}

void PrintSummary(const jepsen::runner::RunReport& report, bool replayed) {
  using jepsen::checker::Verdict;
  std::cout << "\n" << report.dir << (replayed ? " (re-checked)" : "") << "\n";
  std::cout << "verdict: " << jepsen::checker::ToString(report.verdict)
            << (report.interrupted ? " (interrupted; what was recorded was checked)" : "") << " · "
            << report.ops << " ops (ok " << report.ok << ", fail " << report.fail << ", info "
            << report.info << ") · " << FaultsText(report) << " · " << (replayed ? "ran " : "")
            << jepsen::cli::DurationText(report.elapsed_s)
            << (replayed ? ", re-checked in " : " (checked in ")
            << jepsen::cli::DurationText(report.check_s) << (replayed ? "" : ")") << "\n";
  for (const auto& r : report.results) {
    std::cout << "  " << r.checker << ": " << r.summary << "\n";
    if (r.verdict != Verdict::kValid) {
      std::istringstream lines(r.explanation);
      for (std::string line; std::getline(lines, line);) std::cout << "    " << line << "\n";
    }
  }
  std::cout << "store: " << report.dir << " (history.jsonl, results.json, run.log, report.html)\n"
            << "re-check: jepsen-check " << report.dir << "/history.jsonl\n";
}

}  // namespace

int main(int argc, char** argv) {
  jepsen::cli::RunArgs args;
  if (auto exit = jepsen::cli::ParseRunArgs({argv + 1, argv + argc}, args, std::cout, std::cerr)) {
    return *exit;
  }
  const jepsen::runner::RunOptions& o = args.options;
  const std::string& junit = args.junit;
  const std::string& replay = args.replay;
  try {
    jepsen::Result<jepsen::runner::RunReport> report =
        replay.empty() ? jepsen::runner::Run(o, std::cout, ::isatty(STDOUT_FILENO) != 0)
                       : jepsen::runner::Replay(replay);
    if (!report.ok()) {
      std::cerr << "jepsen-run: error: " << report.message() << "\n";
      return 254;
    }
    PrintSummary(*report, !replay.empty());
    int code = jepsen::checker::ExitCode(report->verdict);
    if (!report->write_error.empty()) {
      std::cerr << "jepsen-run: error: " << report->write_error << "\n";
      code = 254;  // the verdict above stands, but its record is incomplete
    }
    if (!junit.empty()) {
      std::ofstream out(junit);
      out << jepsen::checker::ToJUnit(
          {jepsen::checker::JUnitSuite{report->dir, report->results, report->elapsed_s, ""}});
      if (!out) {
        std::cerr << "jepsen-run: error: cannot write " << junit << "\n";
        return 254;
      }
    }
    return code;
  } catch (const std::exception& e) {
    std::cerr << "jepsen-run: internal error: " << e.what() << "\n";
    return 255;
  }
}
