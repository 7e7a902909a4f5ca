// The linearizable checker's entry in the registry: which histories it
// applies to, which model it takes, and its options.
#include <optional>

#include "checker/linearizable/linearizable.h"
#include "history/edn.h"
#include "history/json_text.h"

namespace jepsen::checker::linearizable {
namespace {

using history::Json;

constexpr const char* kInitial = "initial";
constexpr const char* kNilRead = "nil-read";

// The model a workload name implies, or "" when it names none.
std::string ModelForWorkload(const std::string& workload) {
  if (workload == "register" || workload == "cas-register") return "cas-register";
  for (const std::string& name : ModelNames()) {
    if (name == workload) return name;
  }
  return "";
}

// Porcupine's kv test histories carry no header: their ops (get, put,
// append on string keys) say which model they need.
bool IsPorcupineKv(const history::History& history) {
  if (!history.header.is_null() || history.ops.empty()) return false;
  for (const history::Op& op : history.ops) {
    const history::Event& e = history.invocation(op);
    if ((e.f != "get" && e.f != "put" && e.f != "append") || !e.key.is_string()) return false;
  }
  return true;
}

std::string ModelFor(const history::History& history) {
  std::string model = ModelForWorkload(history.workload());
  if (!model.empty()) return model;
  return history.workload().empty() && IsPorcupineKv(history) ? "string-kv" : "cas-register";
}

// `initial` accepts JSON (0, null, "", {"x":0}) or EDN (nil, {:x 0 :y 0});
// nullopt when not given.
Result<std::optional<Json>> Initial(const options::Values& values) {
  const Json& given = values.Get(kInitial);
  if (!given.is_string() || given.get<std::string>().empty()) return std::optional<Json>();
  const std::string text = given.get<std::string>();
  if (std::optional<Json> json = history::ParseJson(text)) return json;
  history::EdnOptions options;
  options.source = "--initial";
  history::EdnReader reader(text, options);
  auto form = reader.Next();
  if (!form.ok()) return form.status();
  if (!form->has_value()) return Status::Error("--initial: no value given");
  return std::optional<Json>((*form)->value);
}

options::Option InitialOption() {
  options::Option option =
      options::Text(kInitial, "",
                    "Initial model value, JSON or EDN (e.g. 0, null, '\"\"', '{:x 0 :y 0}'); "
                    "default: the model's own");
  option.fallback = Json();  // unset: no default value to show
  return option;
}

Status ValidateOptions(const options::Values& values) {
  Result<std::optional<Json>> initial = Initial(values);
  return initial.ok() ? Status() : initial.status();
}

Result<CheckResult> CheckRegistered(const CheckInput& in) {
  Options options;
  options.model = in.model.empty() ? ModelFor(in.history) : in.model;
  Result<std::optional<Json>> initial = Initial(in.options);
  if (!initial.ok()) return initial.status();
  if (*initial) {
    options.model_options.initial = **initial;
    options.model_options.has_initial = true;
  }
  options.model_options.nil_read_any = NilReadAny(in.options, in.history.format);
  options.time_limit_seconds = in.budget.time_limit_seconds;
  options.memory_limit_bytes = in.budget.memory_limit_bytes;
  options.threads = in.budget.threads;
  options.progress = in.budget.progress;
  return Check(in.history, options);
}

}  // namespace

bool NilReadAny(const options::Values& values, history::Format format) {
  const std::string nil_read = values.Has(kNilRead) ? values.Text(kNilRead) : "auto";
  return nil_read == "any" || (nil_read == "auto" && history::IsJepsenData(format));
}

Checker Registration() {
  Checker c;
  c.name = "linearizable";
  c.help = "linearizability against a model, per key";
  // A workload named after a model is checked against it (register: cas-register).
  for (const std::string& model : ModelNames()) {
    c.workloads.push_back(model);
    c.models.push_back({model, std::string(ModelNote(model))});
  }
  c.options = {
      InitialOption(),
      options::Choice(kNilRead, "auto", {"auto", "unset", "any"},
                      "What a read of nil means: unset (the initial value), any (observed "
                      "nothing, as Knossos), auto (any for Jepsen's EDN or JSON arrays)"),
  };
  c.report_section = "linearization";
  c.claims = IsPorcupineKv;
  c.validate_options = ValidateOptions;
  c.check = CheckRegistered;
  return c;
}

}  // namespace jepsen::checker::linearizable
