#include "runner/run_options.h"

#include <cstdint>

#include "nemesis/options.h"
#include "systems/systems.h"
#include "workloads/workload.h"

namespace jepsen::runner {
namespace {

using options::Option;

// A RunOptions field and its declaration.
template <typename T>
RunOption Field(Option option, T RunOptions::*field) {
  return {std::move(option),
          [field](RunOptions& o, const Json& value) {
            if constexpr (std::is_same_v<T, std::string>) {
              o.*field = options::ValueText(value);  // a list as typed: "kill,pause"
            } else {
              o.*field = value.get<T>();
            }
          },
          [field](const RunOptions& o) { return Json(o.*field); }};
}

// A declaration of the nemesis' that RunOptions holds as a field.
Option Nemesis(const std::string& name) {
  for (Option& option : nemesis::Options()) {
    if (option.name == name) return option;
  }
  return Option{name};  // cannot happen: nemesis::Options() declares it
}

// The nemesis' options that RunOptions has no field for.
std::vector<Option> NemesisOwn() {
  std::vector<Option> own;
  for (Option& option : nemesis::Options()) {
    if (FindRunOption(option.name) == nullptr) own.push_back(std::move(option));
  }
  return own;
}

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

// An option of no part of this run: whose it is, or that nobody's.
Status NotThisRuns(const std::string& name, const RunOptions& o) {
  std::vector<std::string> owners, known;
  bool workload = false, system = false;
  for (const RunOption& r : RunOptionTable()) known.push_back(r.option.name);
  for (const workloads::WorkloadType& w : workloads::Workloads()) {
    for (const Option& option : w.options) known.push_back(option.name);
    if (options::Find(w.options, name) == nullptr) continue;
    owners.push_back("workload=" + w.name);
    workload = true;
  }
  for (const systems::SystemType& s : systems::Systems()) {
    for (const Option& option : s.options) known.push_back(option.name);
    if (options::Find(s.options, name) == nullptr) continue;
    owners.push_back("system=" + s.name);
    system = true;
  }
  if (owners.empty()) {
    for (const Option& option : NemesisOwn()) known.push_back(option.name);
    const std::string nearest = options::NearestName(name, known);
    return Status::Error("unknown option '" + name + "'" +
                         (nearest.empty() ? "" : "; did you mean '" + nearest + "'?"));
  }
  std::string chosen;
  if (workload) chosen = "workload is " + o.workload;
  if (system) chosen += (chosen.empty() ? "" : " and its ") + std::string("system is ") + o.system;
  // "a", "a or b", "a, b or c"
  std::string named = owners.back();
  if (owners.size() > 1) {
    named = Join(std::vector<std::string>(owners.begin(), owners.end() - 1), ", ") + " or " + named;
  }
  return Status::Error(name + ": an option of " + named + "; this run's " + chosen);
}

}  // namespace

const std::vector<RunOption>& RunOptionTable() {
  static const std::vector<RunOption> table = [] {
    const RunOptions d;
    return std::vector<RunOption>{
        Field(options::Choice("workload", d.workload, workloads::WorkloadNames(),
                              "What the clients do (each workload's options below)"),
              &RunOptions::workload),
        Field(options::Choice("system", d.system, systems::SystemNames(),
                              "What they do it to (each system's options below)"),
              &RunOptions::system),
        Field(options::Number("time-limit", d.time_limit_s, {0, 1000000, true},
                              "Seconds of the main phase"),
              &RunOptions::time_limit_s),
        Field(options::Integer("concurrency", d.concurrency, {1, 1000}, "Client threads"),
              &RunOptions::concurrency),
        Field(options::Number("rate", d.rate, {0, 1000000},
                              "Ops per second across clients (0: as fast as they go)"),
              &RunOptions::rate),
        Field(options::Unsigned("seed", d.seed, {0, UINT64_MAX},
                                "Seed of every random choice (0: from the clock)"),
              &RunOptions::seed),
        Field(options::Text("store", d.store, "Where runs are stored"), &RunOptions::store),
        Field(options::Number("op-timeout", d.op_timeout_s, {0.001, 3600},
                              "Seconds before an op is recorded as info"),
              &RunOptions::op_timeout_s),
        Field(Nemesis("nemesis"), &RunOptions::nemesis),
        Field(Nemesis("target"), &RunOptions::targets),
        Field(Nemesis("nemesis-interval"), &RunOptions::nemesis_interval_s),
    };
  }();
  return table;
}

const RunOption* FindRunOption(std::string_view name) {
  for (const RunOption& r : RunOptionTable()) {
    if (r.option.name == name) return &r;
  }
  return nullptr;
}

Result<OwnedOptions> ResolveOptions(const RunOptions& o) {
  Result<const workloads::WorkloadType*> workload = workloads::FindWorkload(o.workload);
  if (!workload.ok()) return workload.status();
  Result<const systems::SystemType*> system = systems::FindSystem(o.system);
  if (!system.ok()) return system.status();
  const std::vector<Option> nemesis = NemesisOwn();
  for (const auto& [name, value] : o.options.all()) {
    if (FindRunOption(name) != nullptr) {
      return Status::Error(name + ": one of the run's own options, a field of RunOptions");
    }
    if (options::Find((*workload)->options, name) == nullptr &&
        options::Find((*system)->options, name) == nullptr &&
        options::Find(nemesis, name) == nullptr) {
      return NotThisRuns(name, o);
    }
  }
  OwnedOptions owned;
  for (auto [declared, values] :
       {std::pair{&(*workload)->options, &owned.workload},
        std::pair{&(*system)->options, &owned.system}, std::pair{&nemesis, &owned.nemesis}}) {
    Result<options::Values> resolved = options::Resolve(*declared, o.options);
    if (!resolved.ok()) return resolved.status();
    *values = std::move(resolved).value();
  }
  return owned;
}

}  // namespace jepsen::runner
