#include "cli/check_options.h"

#include <cctype>
#include <filesystem>

#include "checker/registry.h"
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

// "linearizable (linearizability ...), leases (...), checkpoints (...)": the
// checkers that can be chosen, with `added` those added to some histories.
std::string CheckerList(bool added) {
  std::string text;
  for (const checker::Checker& c : checker::Checkers()) {
    if ((c.added_to != nullptr) != added) continue;
    text += (text.empty() ? "" : ", ") + c.name + " (" + c.help + ")";
  }
  return text;
}

// "a model's name -> linearizable, leases -> leases, ...": what picks each.
std::string WorkloadList() {
  std::string text;
  for (const checker::Checker& c : checker::Checkers()) {
    std::string names = c.models.empty() ? "" : "a model's name";
    for (const std::string& w : c.workloads) {
      bool model = false;
      for (const checker::ModelInfo& m : c.models) model = model || m.name == w;
      if (!model) names += (names.empty() ? "" : " or ") + w;
    }
    if (!names.empty()) text += (text.empty() ? "" : ", ") + names + " -> " + c.name;
  }
  return text;
}

// "register, cas-register, kv (a cas-register per key), ...".
std::string ModelHelp() {
  std::string text;
  for (const checker::Checker& c : checker::Checkers()) {
    std::string models;
    for (const checker::ModelInfo& m : c.models) {
      models += (models.empty() ? "" : ", ") + m.name + (m.note.empty() ? "" : " (" + m.note + ")");
    }
    if (!models.empty()) text += (text.empty() ? "" : "; ") + c.name + ": " + models;
  }
  return "A model, which picks its checker; " + text;
}

// A checker's option as --name: its text parsed as the declaration says,
// into `values` under its name; a bad value is a usage error that names the
// flag ("--drift: 'nan' is not a finite number; ...") or, for a choice, the
// option and the choices.
void AddCheckerOption(CLI::App& app, const options::Option& option,
                      std::map<std::string, history::Json>& values) {
  const std::string flag = "--" + option.name;
  auto store = [&values, option, flag](const std::string& text) {
    const bool choice =
        option.kind == options::Kind::kChoice || option.kind == options::Kind::kChoices;
    options::Option as_flag = option;
    if (!choice) as_flag.name = flag;
    Result<history::Json> value = options::Parse(as_flag, text);
    if (!value.ok()) throw CLI::ValidationError(value.message());
    values[option.name] = std::move(value).value();
  };
  const bool number =
      option.kind == options::Kind::kNumber || option.kind == options::Kind::kInteger;
  app.add_option_function<std::string>(flag, store, options::Describe(option))
      ->type_name(number ? "NUMBER" : "TEXT");
}

}  // namespace

std::optional<int> ParseCheckArgs(const std::vector<std::string>& args, CheckCommand& command,
                                  std::ostream& out, std::ostream& err) {
  CLI::App app{
      "Checks recorded histories (JSONL, Jepsen EDN, Porcupine etcd logs) with the checker the "
      "header's workload, --checker or --model picks: " +
          CheckerList(false) + "; added: " + CheckerList(true) +
          ".\n"
          "Options are --key value, --key=value or key=value.\n"
          "Exit codes: 0 valid, 1 invalid, 2 unknown (a budget ran out), 254 bad usage or input, "
          "255 internal error.",
      "jepsen-check"};
  app.add_option("files", command.files, "History files")->required();
  app.add_option("--format", command.format, "auto, jsonl, json-array, edn or etcd-log")
      ->default_val("auto");
  app.add_option("--checker", command.checker,
                 CheckerList(false) + "; default: the checker of --model, else the one the " +
                     "header's workload names (" + WorkloadList() + ")");
  app.add_option("--model", command.model, ModelHelp());
  app.add_flag("--independent", command.independent,
               "Jepsen independent histories: values are [key value] pairs");
  AddNumber(app, "--time-limit", command.time_limit_seconds, kTimeLimitRange,
            "Seconds per file, reading it included, before the verdict is unknown (0: none)");
  AddNumber(app, "--memory-limit", command.memory_limit_mb, kMemoryLimitRange,
            "MiB of search memory per file before the verdict is unknown (0: none)");
  AddNumber(app, "--threads", command.threads, kThreadsRange, "Worker threads (0: one per core)");
  for (const options::Option& option : checker::CheckerOptions()) {
    AddCheckerOption(app, option, command.checker_options);
  }
  app.add_option("--json", command.json_out, "Write machine-readable results here ('-': stdout)");
  app.add_option("--junit", command.junit_out,
                 "Write a JUnit XML report here for CI: a test suite per file, a test case per "
                 "checker");
  app.add_option("--html", command.html_out,
                 "Write a self-contained HTML report here (timeline, violations, latency); with "
                 "several files, or when this is a directory, as <dir>/<file name>.html");
  return ParseArguments(app, args, IsOption, out, err);
}

}  // namespace jepsen::cli
