// Checks by registry: every checker the tools run, each declared once with
// what picks it (its name, the header workloads and the models it applies
// to), its own options, how the HTML report draws its violations, and the
// function that checks a history. CheckHistory (checker.h) chooses through
// it; jepsen-check's --checker, --model and checker options, its help and
// their validation come from it. A new checker is a folder plus its line in
// registry.cc (ARCHITECTURE.md, "How to add a checker").
#ifndef JEPSEN_CHECKER_REGISTRY_H_
#define JEPSEN_CHECKER_REGISTRY_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "checker/check_result.h"
#include "checker/progress.h"
#include "history/history.h"
#include "options/option.h"

namespace jepsen::checker {

// What every check is given whatever checker it is: jepsen-check's own
// --time-limit, --memory-limit and --threads. A check that runs out of a
// budget says unknown, never valid.
struct Budget {
  double time_limit_seconds = 0;  // 0: none
  size_t memory_limit_bytes = 0;  // 0: none
  unsigned threads = 0;           // 0: one per hardware thread
  Progress* progress = nullptr;   // optional; must outlive the check
};

struct CheckInput {
  const history::History& history;
  // The model given (--model), one of the checker's; "" = the checker
  // chooses from the history.
  const std::string& model;
  const Budget& budget;
  // Every registered option (CheckerOptions()), each given or at its default.
  const options::Values& options;
};

// A model a checker checks against, as --model names it.
struct ModelInfo {
  std::string name;
  std::string note;  // a few words on what it is; "" when the name says it
};

struct Checker {
  std::string name;  // as --checker and results name it
  std::string help;  // what it checks, a few words for --help
  // The header workloads it applies to: a history whose header names one
  // of them gets this checker.
  std::vector<std::string> workloads;
  // The models --model may name for it (a model picks its checker).
  std::vector<ModelInfo> models;
  // Its own options, on jepsen-check's command line as --name. Two
  // checkers may declare the same option only identically (one flag for both).
  std::vector<options::Option> options;
  // How report.html draws its violations: the name of a renderer in
  // report.js's `sections` ("linearization": Porcupine's view of a failure;
  // "cycles": Elle's chains of ops); "" when it reports none.
  std::string report_section;
  // For a history whose header names no workload: whether its ops alone
  // show that this checker applies (Porcupine's kv files). Optional.
  bool (*claims)(const history::History& history) = nullptr;
  // When set, the checker is never chosen: it is added to every history
  // this accepts, after the chosen check (stats: a run's history).
  bool (*added_to)(const history::History& history) = nullptr;
  // Validates its own options before any history is read (a usage error);
  // optional: options::Parse already checks each option's kind and range.
  Status (*validate_options)(const options::Values& values) = nullptr;
  Result<CheckResult> (*check)(const CheckInput& input) = nullptr;
};

// Every checker, in the order --help lists them.
const std::vector<Checker>& Checkers();
// nullptr when no checker has that name.
const Checker* FindChecker(std::string_view name);
// The names of the checkers that can be chosen (not added), comma-separated.
std::string ChosenCheckerNames();

// Every checker's options, each once.
const std::vector<options::Option>& CheckerOptions();
// The values given (by name) over every option's default; errors name an
// option no checker declares, or a value of the wrong kind or out of range,
// as jepsen-check's flags (--name) would.
Result<options::Values> ResolveOptions(const std::map<std::string, history::Json>& given);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_REGISTRY_H_
