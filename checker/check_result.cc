#include "checker/check_result.h"

#include <array>
#include <string_view>

#include "checker/json_reader.h"
#include "history/json_text.h"

namespace jepsen::checker {
namespace {

using history::Json;

// The keys of `details` the typed fields own; every other key is a fact.
constexpr std::array<std::string_view, 7> kTypedKeys = {
    "valid", "reason", "count", "counts", "reported", "violations", "failure"};

bool IsTypedKey(std::string_view key) {
  for (std::string_view typed : kTypedKeys) {
    if (key == typed) return true;
  }
  return false;
}

}  // namespace

Json DetailsJson(const CheckResult& r) {
  Json details = r.facts.is_object() ? r.facts : Json::object();
  details["valid"] = ToString(r.verdict);
  if (!r.reason.empty()) details["reason"] = r.reason;
  if (!r.counts.empty() || !r.violations.empty()) {
    details["count"] = r.found();
    details["counts"] = r.counts;
    details["reported"] = r.violations.size();
    Json violations = Json::array();
    for (const Violation& v : r.violations) violations.push_back(ToJson(v));
    details["violations"] = std::move(violations);
  }
  if (r.failure) details["failure"] = linearizable::ToJson(*r.failure);
  return details;
}

namespace {

// The derived keys must agree with what they derive from: a results.json
// that says otherwise was edited or damaged.
Status Agrees(JsonReader& in, const char* name, const Json& expected) {
  const Json* given = in.Find(name);
  if (given == nullptr || *given == expected) return Status();
  return Status::Error(in.PathOf(name) + ": " + history::DumpJson(*given) +
                       " disagrees with the rest of the check (" + history::DumpJson(expected) +
                       ")");
}

Status ReadDetails(const Json& json, const std::string& path, CheckResult& r) {
  JsonReader in(json, path);
  if (!in.ok()) return in.status();
  if (in.Find("reason") != nullptr) in.Read("reason", r.reason);
  if (const Json* counts = in.Find("counts")) {
    if (!counts->is_object()) {
      in.Fail("counts", "expected an object of counts by kind, got " + history::DumpJson(*counts));
    } else {
      JsonReader by_kind(*counts, in.PathOf("counts"));
      for (const auto& [kind, count] : counts->items()) by_kind.Read(kind.c_str(), r.counts[kind]);
      if (!by_kind.ok()) return by_kind.status();
    }
  }
  if (in.Find("violations") != nullptr) in.ReadList("violations", r.violations, ViolationFromJson);
  if (in.ok() && in.Find("failure") != nullptr) {
    linearizable::Failure failure;
    in.ReadObject("failure", failure, linearizable::FailureFromJson);
    r.failure = std::move(failure);
  }
  if (!in.ok()) return in.status();
  for (const auto& [key, value] : json.items()) {
    if (!IsTypedKey(key)) r.facts[key] = value;
  }
  for (const Status& s : {Agrees(in, "valid", ToString(r.verdict)), Agrees(in, "count", r.found()),
                          Agrees(in, "reported", r.violations.size())}) {
    if (!s.ok()) return s;
  }
  return Status();
}

}  // namespace

size_t CheckResult::found() const {
  size_t total = 0;
  for (const auto& [kind, count] : counts) total += count;
  return total;
}

Json ToJson(const CheckResult& r) {
  return {{"checker", r.checker},
          {"verdict", ToString(r.verdict)},
          {"summary", r.summary},
          {"explanation", r.explanation},
          {"details", DetailsJson(r)}};
}

Json ToJson(const std::vector<CheckResult>& results) {
  Json out = Json::array();
  for (const CheckResult& r : results) out.push_back(ToJson(r));
  return out;
}

Result<CheckResult> CheckResultFromJson(const Json& json, const std::string& path) {
  JsonReader in(json, path);
  CheckResult r;
  std::string verdict;
  in.Read("checker", r.checker);
  in.Read("verdict", verdict);
  in.Read("summary", r.summary);
  in.Read("explanation", r.explanation);
  if (!in.ok()) return in.status();
  std::optional<Verdict> parsed = ParseVerdict(verdict);
  if (!parsed) {
    return Status::Error(in.PathOf("verdict") + ": expected valid, invalid or unknown, got " +
                         history::Quote(verdict));
  }
  r.verdict = *parsed;
  const Json* details = in.Find("details");
  if (details != nullptr) {
    if (Status s = ReadDetails(*details, in.PathOf("details"), r); !s.ok()) return s;
  }
  return r;
}

Result<std::vector<CheckResult>> CheckResultsFromJson(const Json& json, const std::string& path) {
  if (!json.is_array()) return Status::Error(path + ": expected an array of checks");
  std::vector<CheckResult> out;
  for (size_t i = 0; i < json.size(); ++i) {
    Result<CheckResult> r = CheckResultFromJson(json[i], path + "[" + std::to_string(i) + "]");
    if (!r.ok()) return r.status();
    out.push_back(std::move(r).value());
  }
  return out;
}

}  // namespace jepsen::checker
