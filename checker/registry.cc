#include "checker/registry.h"

#include <cstdint>

#include "checker/checkpoint/checkpoint.h"
#include "checker/lease/lease.h"
#include "checker/linearizable/linearizable.h"
#include "checker/stats.h"

namespace jepsen::checker {
namespace {

using history::Json;

// `value` for `option` as a caller of CheckHistory gives it (typed), checked
// as the flag --<name> is.
Status CheckValue(const options::Option& option, const Json& value) {
  const std::string flag = "--" + option.name;
  switch (option.kind) {
    case options::Kind::kInteger:
      if (!value.is_number_integer()) return Status::Error(flag + ": expected a whole number");
      if (value.is_number_unsigned() && value.get<uint64_t>() > INT64_MAX) {
        return Status::Error(flag + ": " + value.dump() + " is out of range; expected a whole " +
                             "number " + options::RangeText(option.integers));
      }
      return options::CheckRange(flag, value.get<int64_t>(), option.integers);
    case options::Kind::kNumber:
      if (!value.is_number()) return Status::Error(flag + ": expected a number");
      return options::CheckRange(flag, value.get<double>(), option.numbers);
    case options::Kind::kSwitch:
      return value.is_boolean() ? Status() : Status::Error(flag + ": expected on or off");
    case options::Kind::kText:
      return value.is_string() ? Status() : Status::Error(flag + ": expected text");
    case options::Kind::kChoice:
    case options::Kind::kChoices: {
      std::string text = value.is_string() ? value.get<std::string>() : "";
      if (value.is_array()) text = options::ValueText(value);
      Result<Json> parsed = options::Parse(option, text);
      return parsed.ok() ? Status() : Status::Error(flag + ": " + parsed.message());
    }
  }
  return Status();
}

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
    if (Status s = CheckValue(*option, value); !s.ok()) return s;
    values.Set(name, value);
  }
  for (const Checker& checker : Checkers()) {
    if (checker.validate_options == nullptr) continue;
    if (Status s = checker.validate_options(values); !s.ok()) return s;
  }
  return values;
}

}  // namespace jepsen::checker
