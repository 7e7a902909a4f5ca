#include "cli/run_options.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "cli/options.h"
#include "nemesis/options.h"
#include "runner/run_options.h"
#include "systems/systems.h"
#include "workloads/workload.h"

namespace jepsen::cli {
namespace {

using options::Option;

constexpr const char* kAbout =
    "Runs a test: workload clients against a system while a nemesis injects faults; records "
    "history.jsonl and checks it.\n"
    "Arguments are key=value (or --key value, --key=value).\n"
    "Exit codes: 0 valid, 1 invalid, 2 unknown, 254 bad usage, 255 internal error.\n";

// jepsen-run's own, beside the run's: what to do with the run.
std::vector<Option> CommandOptions() {
  return {options::Text("junit", "Also write a JUnit XML report here (one test case per checker)"),
          options::Text("replay",
                        "Re-check a stored run (a directory holding history.jsonl) instead of "
                        "running; its results.json and report.html are rewritten")};
}

bool IsNemesisOption(const std::string& name) {
  return options::Find(nemesis::Options(), name) != nullptr;
}

std::string Help(const std::vector<OptionSection>& sections) {
  size_t width = 0;
  for (const OptionSection& s : sections) {
    for (const Option& o : s.options) width = std::max(width, o.name.size());
  }
  std::ostringstream out;
  out << kAbout << "Usage: jepsen-run [key=value ...]\n";
  for (const OptionSection& s : sections) {
    out << "\n" << s.title << ":\n";
    for (const Option& o : s.options) {
      out << "  " << o.name << std::string(width + 2 - o.name.size(), ' ') << Describe(o) << "\n";
    }
  }
  return out.str();
}

// "time-limit: '0' is out of range..." -> "--time-limit: ...", as the command line spells it.
std::string Dashed(const std::string& name, const std::string& message) {
  return message.rfind(name + ": ", 0) == 0 ? "--" + message : message;
}

// The declaration to read option `name` by: the chosen workload's or system's
// if it takes it, else the first who does (a value out of every range is
// refused first; whose option it is, after).
const Option* DeclarationOf(const std::string& name, const std::vector<OptionSection>& sections,
                            const std::vector<const std::vector<Option>*>& chosen) {
  for (const std::vector<Option>* declared : chosen) {
    if (const Option* o = options::Find(*declared, name)) return o;
  }
  for (const OptionSection& s : sections) {
    if (const Option* o = options::Find(s.options, name)) return o;
  }
  return nullptr;
}

}  // namespace

std::vector<OptionSection> RunOptionSections() {
  std::vector<OptionSection> sections;
  OptionSection run{"The run", {}};
  for (const runner::RunOption& r : runner::RunOptionTable()) {
    if (!IsNemesisOption(r.option.name)) run.options.push_back(r.option);
  }
  for (Option& o : CommandOptions()) run.options.push_back(std::move(o));
  sections.push_back(std::move(run));
  for (const workloads::WorkloadType& w : workloads::Workloads()) {
    sections.push_back({"workload=" + w.name + ": " + w.help, w.options});
  }
  for (const systems::SystemType& s : systems::Systems()) {
    sections.push_back({"system=" + s.name + ": " + s.help, s.options});
  }
  sections.push_back({"The nemesis", nemesis::Options()});
  return sections;
}

std::optional<int> ParseRunArgs(const std::vector<std::string>& args, RunArgs& run,
                                std::ostream& out, std::ostream& err) {
  const std::vector<OptionSection> sections = RunOptionSections();
  CLI::App app{kAbout, "jepsen-run"};
  const std::string help = Help(sections);
  app.formatter_fn([help](const CLI::App*, std::string, CLI::AppFormatMode) { return help; });
  // Each name once, as text: a list (bug=a bug=b) gathers every occurrence.
  std::vector<std::string> names;
  std::map<std::string, std::vector<std::string>> texts;
  for (const OptionSection& s : sections) {
    for (const Option& o : s.options) {
      if (texts.count(o.name) > 0) continue;  // keys, nodes: declared by several
      names.push_back(o.name);
      CLI::Option* option = app.add_option("--" + o.name, texts[o.name]);
      if (o.kind != options::Kind::kChoices) option->expected(1);
    }
  }
  if (std::optional<int> exit = ParseArguments(
          app, args, [](const std::string&) { return true; }, out, err)) {
    return exit;
  }
  auto text = [&](const std::string& name) {
    std::string joined;  // a list's occurrences, comma-separated as one
    for (const std::string& t : texts[name]) joined += (joined.empty() ? "" : ",") + t;
    return joined;
  };
  runner::RunOptions& o = run.options;
  std::vector<std::string> owned;  // given, and the workload's, the system's or the nemesis'
  // The command's and the run's own first: they say whose the others must be.
  for (const std::string& name : names) {
    if (texts[name].empty()) continue;
    if (name == "junit" || name == "replay") {
      (name == "junit" ? run.junit : run.replay) = text(name);
    } else if (const runner::RunOption* field = runner::FindRunOption(name)) {
      Result<history::Json> value = options::Parse(field->option, text(name));
      if (!value.ok()) return UsageError(app, Dashed(name, value.message()), err);
      field->set(o, *value);
    } else {
      owned.push_back(name);
    }
  }
  const std::vector<Option> nemesis = nemesis::Options();
  std::vector<const std::vector<Option>*> chosen = {&nemesis};
  if (auto workload = workloads::FindWorkload(o.workload); workload.ok()) {
    chosen.push_back(&(*workload)->options);
  }
  if (auto system = systems::FindSystem(o.system); system.ok()) {
    chosen.push_back(&(*system)->options);
  }
  for (const std::string& name : owned) {
    Result<history::Json> value =
        options::Parse(*DeclarationOf(name, sections, chosen), text(name));
    if (!value.ok()) return UsageError(app, Dashed(name, value.message()), err);
    o.options.Set(name, *value);
  }
  if (Result<runner::OwnedOptions> resolved = runner::ResolveOptions(o); !resolved.ok()) {
    return UsageError(app, resolved.message(), err);
  }
  return std::nullopt;
}

}  // namespace jepsen::cli
