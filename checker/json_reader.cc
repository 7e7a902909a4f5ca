#include "checker/json_reader.h"

#include <limits>

#include "history/json_text.h"

namespace jepsen::checker {
namespace {

using history::Json;

// What was found instead, short: a big value is not worth quoting whole.
std::string Got(const Json& value) {
  std::string text = history::DumpJson(value);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return ", got " + text;
}

// An integer in int64's range.
bool AsInt64(const Json& value, int64_t& out) {
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return false;
    }
    out = static_cast<int64_t>(value.get<uint64_t>());
    return true;
  }
  if (!value.is_number_integer()) return false;
  out = value.get<int64_t>();
  return true;
}

}  // namespace

JsonReader::JsonReader(const Json& json, std::string path) : json_(json), path_(std::move(path)) {
  if (!json_.is_object()) status_ = Status::Error(path_ + ": expected an object" + Got(json_));
}

const Json* JsonReader::Find(const char* name) const {
  if (!json_.is_object()) return nullptr;
  auto it = json_.find(name);
  return it == json_.end() ? nullptr : &*it;
}

void JsonReader::Fail(const Status& status) {
  if (status_.ok()) status_ = status;
}

void JsonReader::Fail(const std::string& name, const std::string& message) {
  Fail(Status::Error(PathOf(name) + ": " + message));
}

const Json* JsonReader::Required(const char* name) {
  if (!ok()) return nullptr;
  const Json* field = Find(name);
  if (field == nullptr) Fail(name, "missing");
  return field;
}

const Json* JsonReader::Array(const char* name) {
  const Json* field = Required(name);
  if (field != nullptr && !field->is_array()) {
    Fail(name, "expected an array" + Got(*field));
    return nullptr;
  }
  return field;
}

void JsonReader::Read(const char* name, int64_t& out) {
  const Json* field = Required(name);
  if (field != nullptr && !AsInt64(*field, out)) Fail(name, "expected an integer" + Got(*field));
}

void JsonReader::Read(const char* name, uint32_t& out) {
  int64_t value = 0;
  Read(name, value);
  if (!ok()) return;
  if (value < 0 || value > std::numeric_limits<uint32_t>::max()) {
    return Fail(name, "expected an integer from 0 to 4294967295" + Got(*Find(name)));
  }
  out = static_cast<uint32_t>(value);
}

void JsonReader::Read(const char* name, size_t& out) {
  int64_t value = 0;
  Read(name, value);
  if (!ok()) return;
  if (value < 0) return Fail(name, "expected an integer >= 0" + Got(*Find(name)));
  out = static_cast<size_t>(value);
}

void JsonReader::Read(const char* name, bool& out) {
  const Json* field = Required(name);
  if (field == nullptr) return;
  if (!field->is_boolean()) return Fail(name, "expected true or false" + Got(*field));
  out = field->get<bool>();
}

void JsonReader::Read(const char* name, std::string& out) {
  const Json* field = Required(name);
  if (field == nullptr) return;
  if (!field->is_string()) return Fail(name, "expected a string" + Got(*field));
  out = field->get<std::string>();
}

void JsonReader::Read(const char* name, Json& out) {
  if (!ok()) return;
  const Json* field = Find(name);
  out = field == nullptr ? Json() : *field;
}

void JsonReader::ReadList(const char* name, std::vector<int64_t>& out) {
  const Json* field = Array(name);
  if (field == nullptr) return;
  out.clear();
  for (size_t i = 0; i < field->size(); ++i) {
    int64_t value = 0;
    if (!AsInt64((*field)[i], value)) {
      return Fail(Status::Error(PathOf(name) + "[" + std::to_string(i) + "]: expected an integer" +
                                Got((*field)[i])));
    }
    out.push_back(value);
  }
}

}  // namespace jepsen::checker
