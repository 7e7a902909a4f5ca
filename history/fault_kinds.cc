#include "history/fault_kinds.h"

#include <cctype>

#include "history/json_text.h"

namespace jepsen::history {
namespace {

// A colour reports may put into a style attribute as it is: "#rgb" or "#rrggbb", nothing else.
bool IsColor(const std::string& text) {
  if ((text.size() != 4 && text.size() != 7) || text[0] != '#') return false;
  for (size_t i = 1; i < text.size(); ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

Result<std::vector<std::string>> Names(const Json& kind, const std::string& field,
                                       const std::string& where, bool required) {
  auto it = kind.find(field);
  if (it == kind.end()) {
    if (required) return Status::Error(where + "." + field + ": missing");
    return std::vector<std::string>{};
  }
  std::vector<std::string> names;
  if (it->is_array()) {
    for (const Json& name : *it) {
      if (!name.is_string() || name.get<std::string>().empty()) break;
      names.push_back(name.get<std::string>());
    }
  }
  if (!it->is_array() || names.size() != it->size() || (required && names.empty())) {
    return Status::Error(where + "." + field + ": expected a list of event names, got " +
                         DumpJson(*it));
  }
  return names;
}

Result<std::string> Text(const Json& kind, const std::string& field, const std::string& where) {
  auto it = kind.find(field);
  if (it == kind.end()) return std::string();
  if (!it->is_string()) {
    return Status::Error(where + "." + field + ": expected a string, got " + DumpJson(*it));
  }
  return it->get<std::string>();
}

}  // namespace

Json FaultKindsJson(const std::vector<FaultKind>& kinds) {
  Json out = Json::object();
  for (const FaultKind& k : kinds) {
    out[k.name] = {{"family", k.family}, {"begins", k.begins}, {"ends", k.ends},
                   {"counts", k.counts}, {"label", k.label},   {"color", k.color}};
  }
  return out;
}

Result<std::vector<FaultKind>> ParseFaultKinds(const Json& faults) {
  const std::string top(kFaultKindsKey);
  if (!faults.is_object()) {
    return Status::Error(top + ": expected an object of fault kinds by name, got " +
                         DumpJson(faults));
  }
  std::vector<FaultKind> kinds;
  for (const auto& [name, kind] : faults.items()) {
    const std::string where = top + "." + Printable(name);
    if (name.empty()) return Status::Error(top + ": a fault kind with an empty name");
    if (!kind.is_object()) {
      return Status::Error(where + ": expected an object, got " + DumpJson(kind));
    }
    FaultKind k;
    k.name = name;
    Result<std::vector<std::string>> begins = Names(kind, "begins", where, true);
    if (!begins.ok()) return begins.status();
    Result<std::vector<std::string>> ends = Names(kind, "ends", where, false);
    if (!ends.ok()) return ends.status();
    k.begins = std::move(begins).value();
    k.ends = std::move(ends).value();
    for (auto [field, text] : {std::pair{"family", &k.family}, std::pair{"label", &k.label},
                               std::pair{"color", &k.color}}) {
      Result<std::string> value = Text(kind, field, where);
      if (!value.ok()) return value.status();
      *text = std::move(value).value();
    }
    if (!k.color.empty() && !IsColor(k.color)) {
      return Status::Error(where + ".color: expected \"#rgb\" or \"#rrggbb\", got " +
                           Quote(k.color));
    }
    auto counts = kind.find("counts");
    if (counts != kind.end() && !counts->is_boolean()) {
      return Status::Error(where + ".counts: expected true or false, got " + DumpJson(*counts));
    }
    k.counts = counts == kind.end() || counts->get<bool>();
    kinds.push_back(std::move(k));
  }
  return kinds;
}

std::string_view FaultTag(const Event& event) {
  if (!event.extra.is_object()) return {};
  auto it = event.extra.find(kFaultTagKey);
  if (it == event.extra.end() || !it->is_string()) return {};
  return it->get_ref<const std::string&>();
}

}  // namespace jepsen::history
