#include "cli/run_command.h"

#include <fstream>
#include <sstream>
#include <string>

#include "checker/junit.h"
#include "cli/duration_text.h"

namespace jepsen::cli {
namespace {

// "3 faults (kill 2, client-pause 1; 1 more failed)": by kind, as the history's fault
// vocabulary names them.
std::string FaultsText(const runner::RunReport& report) {
  std::string more;
  for (const auto& [kind, n] : report.faults_by_kind) {
    more += (more.empty() ? "" : ", ") + kind + " " + std::to_string(n);
  }
  if (report.failed_faults > 0) {
    more += (more.empty() ? "" : "; ") + std::to_string(report.failed_faults) + " more failed";
  }
  return std::to_string(report.faults) + " faults" + (more.empty() ? "" : " (" + more + ")");
}

void PrintSummary(const runner::RunReport& report, bool replayed, std::ostream& out) {
  using checker::Verdict;
  out << "\n" << report.dir << (replayed ? " (re-checked)" : "") << "\n";
  out << "verdict: " << checker::ToString(report.verdict)
      << (report.interrupted ? " (interrupted; what was recorded was checked)" : "") << " · "
      << report.ops << " ops (ok " << report.ok << ", fail " << report.fail << ", info "
      << report.info << ") · " << FaultsText(report) << " · " << (replayed ? "ran " : "")
      << DurationText(report.elapsed_s) << (replayed ? ", re-checked in " : " (checked in ")
      << DurationText(report.check_s) << (replayed ? "" : ")") << "\n";
  for (const auto& r : report.results) {
    out << "  " << r.checker << ": " << r.summary << "\n";
    if (r.verdict != Verdict::kValid) {
      std::istringstream lines(r.explanation);
      for (std::string line; std::getline(lines, line);) out << "    " << line << "\n";
    }
  }
  out << "store: " << report.dir << " (history.jsonl, results.json, run.log, report.html)\n"
      << "re-check: jepsen-check " << report.dir << "/history.jsonl\n";
}

}  // namespace

int RunCommand(const RunArgs& args, std::ostream& out, std::ostream& err, bool live) {
  const bool replay = !args.replay.empty();
  Result<runner::RunReport> report =
      replay ? runner::Replay(args.replay) : runner::Run(args.options, out, live);
  if (!report.ok()) {
    err << "jepsen-run: error: " << report.message() << "\n";
    return 254;
  }
  PrintSummary(*report, replay, out);
  int code = checker::ExitCode(report->verdict);
  if (!report->write_error.empty()) {
    err << "jepsen-run: error: " << report->write_error << "\n";
    code = 254;  // the verdict above stands, but its record is incomplete
  }
  if (!args.junit.empty()) {
    std::ofstream junit(args.junit);
    junit << checker::ToJUnit(
        {checker::JUnitSuite{report->dir, report->results, report->elapsed_s, ""}});
    if (!junit) {
      err << "jepsen-run: error: cannot write " << args.junit << "\n";
      return 254;
    }
  }
  return code;
}

}  // namespace jepsen::cli
