#include "checker/registry.h"

#include <cstdint>

#include "checker/checkpoint/checkpoint.h"
#include "checker/lease/lease.h"
#include "checker/linearizable/linearizable.h"
#include "checker/stats.h"

namespace jepsen::checker {
namespace {

using history::Json;

std::vector<options::Option> CollectOptions() {
  std::vector<options::Option> all;
  for (const Checker& checker : Checkers()) {
    for (const options::Option& option : checker.options) {
      bool seen = false;
      for (const options::Option& known : all) seen = seen || known.name == option.name;
      if (!seen) all.push_back(option);
    }
  }
  return all;
}

}  // namespace

const std::vector<Checker>& Checkers() {
  // A checker's line: its folder's Registration() (checker/<name>/).
  static const std::vector<Checker> checkers = {
      linearizable::Registration(),
      lease::Registration(),
      checkpoint::Registration(),
      stats::Registration(),
  };
  return checkers;
}

const Checker* FindChecker(std::string_view name) {
  for (const Checker& checker : Checkers()) {
    if (checker.name == name) return &checker;
  }
  return nullptr;
}

std::string ChosenCheckerNames() {
  std::string names;
  for (const Checker& checker : Checkers()) {
    if (checker.added_to == nullptr) names += (names.empty() ? "" : ", ") + checker.name;
  }
  return names;
}

const std::vector<options::Option>& CheckerOptions() {
  static const std::vector<options::Option> all = CollectOptions();
  return all;
}

Result<options::Values> ResolveOptions(const std::map<std::string, Json>& given) {
  options::Values values(CheckerOptions());
  for (const auto& [name, value] : given) {
    const options::Option* option = nullptr;
    for (const options::Option& o : CheckerOptions()) option = o.name == name ? &o : option;
    if (option == nullptr) {
      return Status::Error("--" + name + ": no checker takes this option");
    }
    // Checked as the flag --<name> is, by the options' one parser.
    Result<Json> checked = options::Validate(*option, value);
    if (!checked.ok()) {
      const std::string& why = checked.message();
      return Status::Error(why.starts_with(name + ":") ? "--" + why : "--" + name + ": " + why);
    }
    values.Set(name, *checked);
  }
  for (const Checker& checker : Checkers()) {
    if (checker.validate_options == nullptr) continue;
    if (Status s = checker.validate_options(values); !s.ok()) return s;
  }
  return values;
}

}  // namespace jepsen::checker
