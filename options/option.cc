#include "options/option.h"

#include <algorithm>
#include <cmath>

namespace jepsen::options {
namespace {

// Optimal string alignment distance: edits, with a swap of neighbours as one.
size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string List(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

std::vector<std::string> SplitCommas(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Result<std::string> OneOf(const Option& option, const std::string& item) {
  if (std::find(option.choices.begin(), option.choices.end(), item) != option.choices.end()) {
    return item;
  }
  const std::string nearest = NearestName(item, option.choices);
  return Status::Error("unknown " + option.name + " '" + item + "'" +
                       (nearest.empty() ? "" : "; did you mean '" + nearest + "'?") +
                       " (known: " + List(option.choices) + ")");
}

Option Make(std::string name, Kind kind, Json fallback, std::string help) {
  Option option;
  option.name = std::move(name);
  option.kind = kind;
  option.fallback = std::move(fallback);
  option.help = std::move(help);
  return option;
}

}  // namespace

std::string NearestName(const std::string& name, const std::vector<std::string>& known) {
  // Up to one edit in a short name, two in a longer one, three in a long one.
  const size_t allowed = name.size() <= 3 ? 1 : name.size() <= 6 ? 2 : 3;
  std::string best;
  size_t best_distance = allowed + 1;
  for (const std::string& candidate : known) {
    size_t d = EditDistance(name, candidate);
    // A prefix of a longer name ("mem" for "memory-limit") is as good as a typo.
    if (name.size() >= 3 && candidate.starts_with(name)) d = std::min(d, allowed);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

Option Integer(std::string name, int64_t fallback, Range<int64_t> range, std::string help) {
  Option option = Make(std::move(name), Kind::kInteger, fallback, std::move(help));
  option.integers = range;
  return option;
}

Option Unsigned(std::string name, uint64_t fallback, Range<uint64_t> range, std::string help) {
  Option option = Make(std::move(name), Kind::kUnsigned, fallback, std::move(help));
  option.naturals = range;
  return option;
}

Option Number(std::string name, double fallback, Range<double> range, std::string help) {
  Option option = Make(std::move(name), Kind::kNumber, fallback, std::move(help));
  option.numbers = range;
  return option;
}

Option Switch(std::string name, bool fallback, std::string help) {
  return Make(std::move(name), Kind::kSwitch, fallback, std::move(help));
}

Option Text(std::string name, std::string fallback, std::string help) {
  return Make(std::move(name), Kind::kText, std::move(fallback), std::move(help));
}

Option Text(std::string name, std::string help) {
  return Make(std::move(name), Kind::kText, nullptr, std::move(help));
}

Option Choice(std::string name, std::string fallback, std::vector<std::string> choices,
              std::string help) {
  Option option = Make(std::move(name), Kind::kChoice, std::move(fallback), std::move(help));
  option.choices = std::move(choices);
  return option;
}

Option Choices(std::string name, std::vector<std::string> fallback,
               std::vector<std::string> choices, std::string help) {
  Option option = Make(std::move(name), Kind::kChoices, std::move(fallback), std::move(help));
  option.choices = std::move(choices);
  return option;
}

Result<Json> Parse(const Option& option, std::string_view text) {
  auto named = [&](const Status& s) { return Status::Error(option.name + ": " + s.message()); };
  switch (option.kind) {
    case Kind::kInteger: {
      Result<int64_t> n = ParseNumber<int64_t>(text, option.integers);
      if (!n.ok()) return named(n.status());
      return Json(*n);
    }
    case Kind::kUnsigned: {
      Result<uint64_t> n = ParseNumber<uint64_t>(text, option.naturals);
      if (!n.ok()) return named(n.status());
      return Json(*n);
    }
    case Kind::kNumber: {
      Result<double> x = ParseNumber<double>(text, option.numbers);
      if (!x.ok()) return named(x.status());
      return Json(*x);
    }
    case Kind::kSwitch:
      if (text == "on" || text == "true" || text == "yes") return Json(true);
      if (text == "off" || text == "false" || text == "no") return Json(false);
      return Status::Error(option.name + ": '" + std::string(text) + "' is not on or off");
    case Kind::kText:
      return Json(std::string(text));
    case Kind::kChoice: {
      Result<std::string> item = OneOf(option, std::string(text));
      if (!item.ok()) return item.status();
      return Json(*item);
    }
    case Kind::kChoices: {
      Json items = Json::array();
      for (const std::string& part : SplitCommas(text)) {
        Result<std::string> item = OneOf(option, part);
        if (!item.ok()) return item.status();
        items.push_back(*item);
      }
      if (items.empty()) return Status::Error(option.name + ": name at least one");
      return items;
    }
  }
  return Status::Error(option.name + ": unknown kind");
}

Result<Json> Validate(const Option& option, const Json& value) {
  // Each value as the command line would spell it, so that one parser judges both.
  if (value.is_string()) return Parse(option, value.get<std::string>());
  const bool numeric = option.kind == Kind::kInteger || option.kind == Kind::kUnsigned ||
                       option.kind == Kind::kNumber;
  if (numeric && value.is_number()) return Parse(option, value.dump());
  if (option.kind == Kind::kSwitch && value.is_boolean()) return value;
  if (option.kind == Kind::kChoices && value.is_array() &&
      std::all_of(value.begin(), value.end(), [](const Json& v) { return v.is_string(); })) {
    return Parse(option, ValueText(value));
  }
  const char* expected = numeric                         ? "a number"
                         : option.kind == Kind::kSwitch  ? "on or off (a boolean)"
                         : option.kind == Kind::kChoices ? "a list of names"
                                                         : "text";
  return Status::Error(option.name + ": " + value.dump() + " is not " + expected);
}

const Option* Find(const std::vector<Option>& declared, std::string_view name) {
  for (const Option& option : declared) {
    if (option.name == name) return &option;
  }
  return nullptr;
}

std::string ValueText(const Json& value) {
  if (value.is_boolean()) return value.get<bool>() ? "on" : "off";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) return NumberText(value.get<double>());
  if (value.is_array()) {
    std::string text;
    for (const Json& item : value) text += (text.empty() ? "" : ",") + ValueText(item);
    return text;
  }
  return value.dump();
}

std::string Describe(const Option& option) {
  std::string text = option.help;
  switch (option.kind) {
    case Kind::kInteger:
      text += " [" + RangeText(option.integers) + "]";
      break;
    case Kind::kUnsigned:
      text += " [" + RangeText(option.naturals) + "]";
      break;
    case Kind::kNumber:
      text += " [" + RangeText(option.numbers) + "]";
      break;
    case Kind::kSwitch:
      text += " [on or off]";
      break;
    case Kind::kChoice:
      text += " [one of: " + List(option.choices) + "]";
      break;
    case Kind::kChoices:
      text += " [comma-separated: " + List(option.choices) + "]";
      break;
    case Kind::kText:
      break;
  }
  const bool none =
      option.fallback.is_null() || (option.fallback.is_array() && option.fallback.empty());
  if (!none) text += " (default: " + ValueText(option.fallback) + ")";
  return text;
}

Values::Values(const std::vector<Option>& declared) {
  for (const Option& option : declared) values_[option.name] = option.fallback;
}

const Json& Values::Get(const std::string& name) const {
  static const Json kNull;
  auto it = values_.find(name);
  return it == values_.end() ? kNull : it->second;
}

Result<Values> Resolve(const std::vector<Option>& declared, const Values& given) {
  Values out(declared);
  for (const auto& [name, value] : given.all()) {
    const Option* option = Find(declared, name);
    if (option == nullptr) continue;
    Result<Json> valid = Validate(*option, value);
    if (!valid.ok()) return valid.status();
    out.Set(name, std::move(valid).value());
  }
  return out;
}

Json Values::ToJson() const {
  Json out = Json::object();
  for (const auto& [name, value] : values_) out[name] = value;
  return out;
}

}  // namespace jepsen::options
