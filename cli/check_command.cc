#include "cli/check_command.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>

#include "checker/checker.h"
#include "checker/junit.h"
#include "checker/linearizable/linearizable.h"
#include "checker/report/report.h"
#include "cli/duration_text.h"
#include "cli/progress_line.h"
#include "history/independent.h"
#include "history/json_text.h"
#include "history/load.h"

namespace jepsen::cli {
namespace {

using history::Json;

constexpr int kBadInput = 254;

struct FileReport {
  Json json;
  bool error = false;
  checker::Verdict verdict = checker::Verdict::kValid;
  checker::JUnitSuite junit;
};

void Indent(std::ostream& out, const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out << "    " << text.substr(start, end - start) << "\n";
    start = end + 1;
  }
}

// --html OUT: OUT itself for one file, unless OUT is a directory (or ends in
// '/'); then, and always with several files, OUT/<file name>.html.
std::string HtmlPath(const CheckCommand& command, const std::string& file) {
  namespace fs = std::filesystem;
  const std::string& out = command.html_out;
  const bool dir = command.files.size() > 1 || out.back() == '/' || fs::is_directory(out);
  if (!dir) return out;
  return (fs::path(out) / (fs::path(file).filename().string() + ".html")).string();
}

FileReport CheckFile(const std::string& file, const CheckCommand& command,
                     const checker::CheckOptions& check_options, const options::Values& values,
                     history::Format format, std::ostream& out, std::ostream& err) {
  FileReport report;
  report.json = {{"file", file}};
  report.junit.name = file;
  auto fail = [&](const std::string& message) {
    report.junit.error = message;
    err << "jepsen-check: error: " << history::Printable(message) << "\n";
    out << history::Printable(file) << ": error (see above)\n";
    report.json["verdict"] = "error";
    report.json["error"] = message;
    report.error = true;
    return report;
  };
  const auto start = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (command.time_limit_seconds > 0) {
    deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double>(command.time_limit_seconds));
  }
  Result<history::History> loaded = history::LoadHistory(file, format, deadline);
  if (!loaded.ok() && loaded.message().find(history::kTimeLimitWhileReading) != std::string::npos) {
    // Not an error in the file: like a check that ran out of time, unknown.
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    checker::CheckResult reading;
    reading.checker = "reading";
    reading.verdict = checker::Verdict::kUnknown;
    reading.summary = loaded.message();
    reading.reason = "time limit reached";
    out << history::Printable(file) << ": unknown · " << DurationText(s)
        << "\n  reading: " << history::Printable(reading.summary) << "\n";
    report.verdict = checker::Verdict::kUnknown;
    report.json["verdict"] = "unknown";
    report.json["elapsed_ms"] = s * 1000;
    report.json["checks"] = checker::ToJson(std::vector<checker::CheckResult>{reading});
    report.junit.results = {reading};
    report.junit.seconds = s;
    return report;
  }
  if (!loaded.ok()) return fail(loaded.message());
  history::History& history = loaded.value();
  report.json["format"] = history::ToString(history.format);
  for (const std::string& warning : history.warnings) {
    err << "jepsen-check: warning: " << history::Printable(warning) << "\n";
  }
  if (command.independent) {
    if (Status s = history::SplitIndependentKeys(history); !s.ok()) return fail(s.message());
  }
  checker::CheckOptions file_options = check_options;
  if (command.time_limit_seconds > 0) {
    // The limit is the file's: reading it used part of it. What is left is
    // never 0, which would mean no limit.
    const double used =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    file_options.budget.time_limit_seconds = std::max(command.time_limit_seconds - used, 1e-9);
  }
  // Knossos reads a nil read as "observed nothing"; Jepsen's data (EDN, or the
  // same op maps as a JSON array) is written for it.
  report.json["nil_read"] =
      checker::linearizable::NilReadAny(values, history.format) ? "any" : "unset";
  checker::Progress progress;
  std::optional<ProgressLine> progress_line;
  if (command.progress) {
    file_options.budget.progress = &progress;
    progress_line.emplace(err, file, progress, start);
  }
  Result<std::vector<checker::CheckResult>> results = checker::CheckHistory(history, file_options);
  progress_line.reset();  // erased before anything else is printed
  if (!results.ok()) return fail(results.message());
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  checker::Verdict verdict = checker::Overall(*results);
  report.verdict = verdict;
  // Text from the file (names, values, messages) never reaches the terminal raw.
  out << history::Printable(file) << ": " << checker::ToString(verdict) << " · "
      << history.ops.size() << " ops · " << DurationText(ms / 1000) << "\n";
  for (const checker::CheckResult& r : *results) {
    out << "  " << r.checker << ": " << history::Printable(r.summary) << "\n";
    if (r.verdict == checker::Verdict::kInvalid) Indent(out, history::Printable(r.explanation));
  }
  report.json["verdict"] = checker::ToString(verdict);
  report.json["ops"] = history.ops.size();
  report.json["events"] = history.events.size();
  report.json["elapsed_ms"] = ms;
  report.json["checks"] = checker::ToJson(*results);
  report.json["warnings"] = history.warnings;
  if (!command.junit_out.empty()) {  // a copy of the results only when asked for
    report.junit.results = *results;
    report.junit.seconds = ms / 1000;
  }
  if (!command.html_out.empty()) {
    const std::string path = HtmlPath(command, file);
    checker::report::ReportInfo info;
    info.run = {{"checked_with", "jepsen-check"},
                {"format", report.json["format"]},
                {"nil_read", report.json["nil_read"]},
                {"elapsed_ms", std::round(ms * 10) / 10}};
    if (!command.checker.empty()) info.run["checker"] = command.checker;
    if (!command.model.empty()) info.run["model"] = command.model;
    if (Status s = checker::report::WriteHtml(path, history, *results, info); !s.ok()) {
      err << "jepsen-check: error: " << s.message() << "\n";
      report.error = true;
    } else {
      out << "  report: " << path << "\n";
      report.json["report"] = path;
    }
  }
  return report;
}

}  // namespace

int RunCheck(const CheckCommand& command, std::ostream& out, std::ostream& err) {
  std::optional<history::Format> format = history::ParseFormat(command.format);
  if (!format) {
    err << "jepsen-check: error: --format must be auto, jsonl, json-array, edn or etcd-log\n";
    return kBadInput;
  }
  for (const Status& s :
       {options::CheckRange("--time-limit", command.time_limit_seconds, kTimeLimitRange),
        options::CheckRange("--memory-limit", command.memory_limit_mb, kMemoryLimitRange),
        options::CheckRange("--threads", command.threads, kThreadsRange)}) {
    if (!s.ok()) {
      err << "jepsen-check: error: " << s.message() << "\n";
      return kBadInput;
    }
  }
  // The checkers' own options are checked once, before any file is read.
  Result<options::Values> values = checker::ResolveOptions(command.checker_options);
  if (!values.ok()) {
    err << "jepsen-check: error: " << values.message() << "\n";
    return kBadInput;
  }
  checker::CheckOptions check_options;
  check_options.checker = command.checker;
  check_options.model = command.model;
  check_options.options = command.checker_options;
  check_options.budget.time_limit_seconds = command.time_limit_seconds;
  check_options.budget.memory_limit_bytes =
      static_cast<size_t>(command.memory_limit_mb * 1024 * 1024);
  check_options.budget.threads = command.threads;

  if (!command.html_out.empty() && (command.files.size() > 1 || command.html_out.back() == '/')) {
    std::error_code error;
    std::filesystem::create_directories(command.html_out, error);
    if (error) {
      err << "jepsen-check: error: --html " << command.html_out << ": " << error.message() << "\n";
      return kBadInput;
    }
  }

  checker::Verdict worst = checker::Verdict::kValid;
  bool any_error = false;
  Json files = Json::array();
  std::vector<checker::JUnitSuite> suites;
  // With JSON on stdout, the human lines move to stderr so stdout stays parseable.
  std::ostream& human = command.json_out == "-" ? err : out;
  for (const std::string& file : command.files) {
    FileReport report = CheckFile(file, command, check_options, *values, *format, human, err);
    any_error = any_error || report.error;
    worst = checker::Merge(worst, report.verdict);
    files.push_back(std::move(report.json));
    suites.push_back(std::move(report.junit));
  }
  const int code = any_error ? kBadInput : checker::ExitCode(worst);
  if (!command.json_out.empty()) {
    Json doc = {{"tool", "jepsen-check"},
                {"verdict", any_error ? "error" : checker::ToString(worst)},
                {"exit_code", code},
                {"files", files}};
    std::string text = history::DumpJson(doc, 2) + "\n";
    if (command.json_out == "-") {
      out << text;
    } else {
      std::ofstream file(command.json_out);
      file << text;
      if (!file) {
        err << "jepsen-check: error: cannot write " << command.json_out << "\n";
        return kBadInput;
      }
    }
  }
  if (!command.junit_out.empty()) {
    std::ofstream file(command.junit_out);
    file << checker::ToJUnit(suites);
    if (!file) {
      err << "jepsen-check: error: cannot write " << command.junit_out << "\n";
      return kBadInput;
    }
  }
  return code;
}

}  // namespace jepsen::cli
