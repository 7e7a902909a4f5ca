// Options as their owners declare them: a system, a fault package, a workload
// or the run itself says which options it takes (name, kind, range, default,
// help), and the command line, --help and validation all come from those
// declarations, so no option is listed twice.
#ifndef JEPSEN_OPTIONS_OPTION_H_
#define JEPSEN_OPTIONS_OPTION_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "history/event.h"
#include "history/status.h"
#include "options/number.h"

namespace jepsen::options {

using history::Json;

enum class Kind {
  kInteger,   // a whole number in `integers`: Json integer
  kUnsigned,  // a whole number in `naturals`, up to 2^64 - 1 (a seed): Json unsigned
  kNumber,    // a finite decimal number in its range: Json float
  kSwitch,    // on or off: Json boolean
  kText,      // any text (a command, a path): Json string
  kChoice,    // one of `choices`: Json string
  kChoices,   // several of `choices`, comma-separated: Json array of strings
};

struct Option {
  std::string name;  // as typed: name=value or --name value
  Kind kind = Kind::kText;
  std::string help;  // one sentence; the range, choices and default are added by Describe
  Json fallback;     // the default, of the kind's Json type; null: none (unset)
  Range<int64_t> integers{INT64_MIN, INT64_MAX};  // kInteger
  Range<uint64_t> naturals{0, UINT64_MAX};        // kUnsigned
  Range<double> numbers{-1e300, 1e300};           // kNumber
  std::vector<std::string> choices;               // kChoice, kChoices
};

// Shorthands for declarations.
Option Integer(std::string name, int64_t fallback, Range<int64_t> range, std::string help);
Option Unsigned(std::string name, uint64_t fallback, Range<uint64_t> range, std::string help);
Option Number(std::string name, double fallback, Range<double> range, std::string help);
Option Switch(std::string name, bool fallback, std::string help);
Option Text(std::string name, std::string fallback, std::string help);
Option Text(std::string name, std::string help);  // no default: Values::Text gives ""
Option Choice(std::string name, std::string fallback, std::vector<std::string> choices,
              std::string help);
Option Choices(std::string name, std::vector<std::string> fallback,
               std::vector<std::string> choices, std::string help);

// The value `text` gives `option`, or an error that says what was expected
// ("--seed: '-1' is out of range; expected a whole number from 0 to ...",
// "unknown nemesis 'kil'; did you mean 'kill'? (known: ...)").
Result<Json> Parse(const Option& option, std::string_view text);
// `value` for `option` as a program gives it (the C++ API): of the kind's Json
// type (a whole number is a number too), or text, read as Parse reads it.
// Returns it as Parse would; errors as Parse's.
Result<Json> Validate(const Option& option, const Json& value);
// The declaration called `name` among `declared`; null when none is.
const Option* Find(const std::vector<Option>& declared, std::string_view name);
// The help line: help, then the range or choices, then the default.
std::string Describe(const Option& option);
// A value as it would be typed back ("on", "kill,pause", "0.01").
std::string ValueText(const Json& value);

// The known name nearest to `name` by edit distance, when near enough to be a
// likely typo ("workloads" -> "workload"); "" when none is.
std::string NearestName(const std::string& name, const std::vector<std::string>& known);

// Values by option name, each of its option's Json type; an option not given
// holds its default. Set marks a value as given, so an owner can tell an
// option left at its default from one chosen (etcd's lease TTL).
class Values {
 public:
  Values() = default;
  // Every option of `declared` at its default, none given.
  explicit Values(const std::vector<Option>& declared);

  void Set(const std::string& name, Json value) {
    values_[name] = std::move(value);
    given_.insert(name);
  }
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  bool Given(const std::string& name) const { return given_.count(name) > 0; }
  // REQUIRES: the option is declared with the matching kind.
  const Json& Get(const std::string& name) const;
  int64_t Integer(const std::string& name) const { return Get(name).get<int64_t>(); }
  uint64_t Unsigned(const std::string& name) const { return Get(name).get<uint64_t>(); }
  double Number(const std::string& name) const { return Get(name).get<double>(); }
  bool On(const std::string& name) const { return Get(name).get<bool>(); }
  std::string Text(const std::string& name) const {
    const Json& value = Get(name);
    return value.is_string() ? value.get<std::string>() : std::string();
  }
  std::vector<std::string> List(const std::string& name) const {
    return Get(name).get<std::vector<std::string>>();
  }
  // name -> value, for a history header's options.
  Json ToJson() const;
  const std::map<std::string, Json>& all() const { return values_; }

 private:
  std::map<std::string, Json> values_;
  std::set<std::string> given_;
};

// The values an owner's options take: every option of `declared` at its
// default, then each one `given` sets (validated, and given); what `given`
// holds beyond `declared` is left out, for the caller to judge.
Result<Values> Resolve(const std::vector<Option>& declared, const Values& given);

}  // namespace jepsen::options

#endif  // JEPSEN_OPTIONS_OPTION_H_
