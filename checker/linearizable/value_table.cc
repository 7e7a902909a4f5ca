#include "checker/linearizable/value_table.h"

#include <cmath>

#include "history/json_text.h"

namespace jepsen::checker::linearizable {
namespace {

// Integral floats become integers so 2 and 2.0 intern alike.
Json Canonical(const Json& value) {
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9e15) {
      return static_cast<int64_t>(d);
    }
    return value;
  }
  if (value.is_number_unsigned() && value.get<uint64_t>() <= INT64_MAX) {
    return static_cast<int64_t>(value.get<uint64_t>());
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& item : value) out.push_back(Canonical(item));
    return out;
  }
  if (value.is_object()) {  // nlohmann keeps object keys sorted: dump() is canonical
    Json out = Json::object();
    for (const auto& [k, v] : value.items()) out[k] = Canonical(v);
    return out;
  }
  return value;
}

}  // namespace

uint32_t ValueTable::Intern(const Json& value) {
  Json canonical = Canonical(value);
  // DumpJson, not dump(): a big integer's dump would look like an object's.
  std::string text = history::DumpJson(canonical);
  auto [it, inserted] = ids_.try_emplace(std::move(text), static_cast<uint32_t>(values_.size()));
  if (inserted) values_.push_back(std::move(canonical));
  return it->second;
}

size_t SequenceTable::Hash::operator()(const std::vector<uint32_t>& s) const {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  for (uint32_t x : s) {
    h ^= x + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  }
  return h;
}

uint32_t SequenceTable::Intern(const std::vector<uint32_t>& sequence) {
  auto [it, inserted] = ids_.try_emplace(sequence, static_cast<uint32_t>(sequences_.size()));
  if (inserted) sequences_.push_back(&it->first);
  return it->second;
}

}  // namespace jepsen::checker::linearizable
