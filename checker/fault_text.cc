#include "checker/fault_text.h"

#include <algorithm>

#include "history/json_text.h"

namespace jepsen::checker {
namespace {

using history::Json;

bool IsEmpty(const Json& v) {
  return v.is_null() || ((v.is_array() || v.is_object()) && v.empty());
}

bool AllStrings(const Json& v) {
  return std::all_of(v.begin(), v.end(), [](const Json& x) { return x.is_string(); });
}

std::string Joined(const Json& strings) {
  std::string out;
  for (const Json& s : strings) out += (out.empty() ? "" : ", ") + s.get<std::string>();
  return out;
}

// A string as itself, a list of names in parentheses, anything else as JSON.
std::string Text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array() && AllStrings(v)) return "(" + Joined(v) + ")";
  return history::DumpJson(v);
}

// "k v, k v" over an object's non-empty fields.
std::string Fields(const Json& object) {
  std::string out;
  for (const auto& [k, field] : object.items()) {
    if (!IsEmpty(field)) out += (out.empty() ? "" : ", ") + k + " " + Text(field);
  }
  return out;
}

}  // namespace

Json FaultTargets(const Json& value) {
  return value.is_object() && value.contains("nodes") ? value["nodes"] : value;
}

std::string FaultTargetText(const Json& value) {
  const Json& targets = FaultTargets(value);
  if (targets.is_null()) return "";
  if (targets.is_string()) return targets.get<std::string>();
  if (targets.is_array() && !targets.empty() && AllStrings(targets)) return Joined(targets);
  return history::DumpJson(targets);
}

std::string FaultEffect(const Json& value) {
  if (!value.is_object() || !value.contains("nodes")) return "";
  std::string out;
  for (const auto& [field, v] : value.items()) {
    if (field == "nodes" || field == "seed" || IsEmpty(v)) continue;
    const bool per_node = v.is_object() && std::all_of(v.begin(), v.end(),
                                                       [](const Json& x) { return x.is_object(); });
    if (!per_node) {
      out += (out.empty() ? "" : "; ") + field + " " + Text(v);
      continue;
    }
    for (const auto& [node, what] : v.items()) {
      const std::string fields = Fields(what);
      out += (out.empty() ? "" : "; ") + field + " " + node + (fields.empty() ? "" : ": " + fields);
    }
  }
  return out;
}

}  // namespace jepsen::checker
