// Checks by registry: what each checker declares (workloads, models from the
// checker's own list, options once each, a report section), and CheckHistory
// choosing through it.
#include "checker/registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "checker/checker.h"
#include "checker/linearizable/model.h"
#include "history/jsonl.h"

namespace jepsen::checker {
namespace {

using history::Json;

history::History Parse(const std::string& text) {
  Result<history::History> h = history::ParseJsonl(text, "h.jsonl");
  EXPECT_TRUE(h.ok()) << h.message();
  return h.ok() ? std::move(h).value() : history::History{};
}

std::string Header(const std::string& workload) {
  return R"({"format":"jepsen-history/1","workload":")" + workload + "\"}\n";
}

// Two clients both acquire a mutex: invalid for the mutex model, and an
// error ("acquire" unknown) for a register.
const std::string kMutexOps = R"({"type":"invoke","process":0,"f":"acquire","time":0})"
                              "\n"
                              R"({"type":"ok","process":0,"f":"acquire","time":1})"
                              "\n"
                              R"({"type":"invoke","process":1,"f":"acquire","time":2})"
                              "\n"
                              R"({"type":"ok","process":1,"f":"acquire","time":3})"
                              "\n";

TEST(Registry, ListsEveryChecker) {
  std::vector<std::string> names;
  for (const Checker& c : Checkers()) {
    names.push_back(c.name);
    EXPECT_NE(c.check, nullptr) << c.name;
    EXPECT_FALSE(c.help.empty()) << c.name;
    EXPECT_EQ(FindChecker(c.name), &c);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"linearizable", "leases", "checkpoints", "stats"}));
  EXPECT_EQ(ChosenCheckerNames(), "linearizable, leases, checkpoints");
  EXPECT_EQ(FindChecker("nope"), nullptr);
  EXPECT_NE(FindChecker("stats")->added_to, nullptr);
}

TEST(Registry, ModelsComeFromTheLinearizableCheckersOwnList) {
  const Checker* lin = FindChecker("linearizable");
  ASSERT_NE(lin, nullptr);
  std::vector<std::string> models;
  for (const ModelInfo& m : lin->models) models.push_back(m.name);
  EXPECT_EQ(models, linearizable::ModelNames());
  for (const std::string& model : models) {
    EXPECT_NE(std::find(lin->workloads.begin(), lin->workloads.end(), model), lin->workloads.end())
        << "a workload named after model " << model << " picks it";
  }
  EXPECT_EQ(FindChecker("leases")->workloads, std::vector<std::string>{"leases"});
  EXPECT_EQ(FindChecker("checkpoints")->workloads, std::vector<std::string>{"checkpoints"});
}

TEST(Registry, EachOptionIsDeclaredOnceOrIdentically) {
  std::set<std::string> names;
  for (const options::Option& o : CheckerOptions()) {
    EXPECT_TRUE(names.insert(o.name).second) << o.name << " listed twice";
  }
  EXPECT_EQ(names, (std::set<std::string>{"initial", "nil-read", "drift", "max-violations"}));
  for (const Checker& c : Checkers()) {
    for (const options::Option& o : c.options) {
      const options::Option* listed = nullptr;
      for (const options::Option& l : CheckerOptions()) listed = l.name == o.name ? &l : listed;
      ASSERT_NE(listed, nullptr) << o.name;
      EXPECT_EQ(options::Describe(*listed), options::Describe(o)) << c.name << ": " << o.name;
      EXPECT_EQ(listed->kind, o.kind) << c.name << ": " << o.name;
    }
  }
}

TEST(Registry, ReportSectionsAreOnesTheReportDraws) {
  for (const Checker& c : Checkers()) {
    EXPECT_TRUE(c.report_section == "linearization" || c.report_section == "cycles" ||
                (c.report_section.empty() && c.added_to != nullptr))
        << c.name << ": " << c.report_section;
  }
}

TEST(CheckHistory, PicksTheCheckerTheHeadersWorkloadNames) {
  Result<std::vector<CheckResult>> r = CheckHistory(Parse(Header("mutex") + kMutexOps), {});
  ASSERT_TRUE(r.ok()) << r.message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].checker, "linearizable");
  EXPECT_EQ((*r)[0].facts["model"], "mutex");
  EXPECT_EQ((*r)[0].verdict, Verdict::kInvalid);
}

// The checker named takes its model from the header as it would unnamed.
TEST(CheckHistory, ANamedCheckerStillTakesTheWorkloadsModel) {
  CheckOptions options;
  options.checker = "linearizable";
  Result<std::vector<CheckResult>> r = CheckHistory(Parse(Header("mutex") + kMutexOps), options);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ((*r)[0].facts["model"], "mutex");
  options.model = "cas-register";  // a model given wins
  r = CheckHistory(Parse(Header("mutex") + kMutexOps), options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.message().find("cas-register model: operation \"acquire\" unknown"),
            std::string::npos)
      << r.message();
}

TEST(CheckHistory, AModelPicksItsChecker) {
  CheckOptions options;
  options.model = "mutex";
  Result<std::vector<CheckResult>> r = CheckHistory(Parse(kMutexOps), options);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ((*r)[0].checker, "linearizable");
  EXPECT_EQ((*r)[0].verdict, Verdict::kInvalid);
}

TEST(CheckHistory, UnknownNamesAreErrorsListingTheKnownOnes) {
  const history::History h = Parse(Header("mutex") + kMutexOps);
  CheckOptions options;
  options.checker = "stats";  // added to a run's history, never chosen
  EXPECT_EQ(CheckHistory(h, options).message(),
            "unknown checker \"stats\" (known: linearizable, leases, checkpoints)");
  options.checker = "";
  options.model = "nope";
  std::string models;
  for (const std::string& m : linearizable::ModelNames())
    models += (models.empty() ? "" : ", ") + m;
  EXPECT_EQ(CheckHistory(h, options).message(), "unknown model \"nope\" (known: " + models + ")");
  EXPECT_EQ(CheckHistory(Parse(Header("bank") + kMutexOps), {}).message(),
            "h.jsonl: header workload \"bank\" has no checker; give --model NAME or --checker "
            "NAME");
  EXPECT_EQ(CheckHistory(Parse(kMutexOps), {}).message(),
            "h.jsonl: no header 'workload' says which checks apply; give --model NAME or "
            "--checker NAME");
}

TEST(ResolveOptions, ChecksEachValueAsItsFlagWould) {
  EXPECT_EQ(ResolveOptions({{"drift", 1.5}}).message(),
            "--drift: '1.5' is out of range; expected a number from 0, below 1");
  EXPECT_EQ(ResolveOptions({{"drift", "x"}}).message(),
            "--drift: 'x' is not a number; expected a number from 0, below 1");
  EXPECT_EQ(ResolveOptions({{"max-violations", -1}}).message(),
            "--max-violations: '-1' is out of range; expected a whole number from 0 to 1000000");
  EXPECT_EQ(ResolveOptions({{"nope", 1}}).message(), "--nope: no checker takes this option");
  EXPECT_EQ(ResolveOptions({{"nil-read", "maybe"}}).message(),
            "--nil-read: unknown nil-read 'maybe' (known: auto, unset, any)");
  EXPECT_FALSE(ResolveOptions({{"initial", "{:x"}}).ok()) << "EDN cut short";
  Result<options::Values> values = ResolveOptions({{"drift", 0.25}});
  ASSERT_TRUE(values.ok()) << values.message();
  EXPECT_EQ(values->Number("drift"), 0.25);
  EXPECT_EQ(values->Integer("max-violations"), 100) << "the declared default";
  EXPECT_EQ(values->Text("nil-read"), "auto");
}

TEST(CheckHistory, ACheckersOptionsReachIt) {
  // Three lost acknowledgements, at most one explained.
  std::string text = Header("checkpoints") +
                     R"({"type":"invoke","process":0,"f":"checkpoint","value":{"seq":7},"time":0})"
                     "\n"
                     R"({"type":"ok","process":0,"f":"checkpoint","value":{"seq":7},"time":1})"
                     "\n";
  for (int p = 1; p <= 3; ++p) {
    const std::string proc = std::to_string(p), t = std::to_string(2 * p);
    text += R"({"type":"invoke","process":)" + proc + R"(,"f":"read","time":)" + t + "}\n" +
            R"({"type":"ok","process":)" + proc + R"(,"f":"read","value":null,"time":)" + t + "}\n";
  }
  CheckOptions options;
  options.options = {{"max-violations", 1}};
  Result<std::vector<CheckResult>> r = CheckHistory(Parse(text), options);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ((*r)[0].found(), 3u);
  EXPECT_EQ((*r)[0].violations.size(), 1u);
  options.options = {{"max-violations", 1.5}};
  EXPECT_EQ(
      CheckHistory(Parse(text), options).message(),
      "--max-violations: '1.5' is not a whole number; expected a whole number from 0 to 1000000");
}

}  // namespace
}  // namespace jepsen::checker
