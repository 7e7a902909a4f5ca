// The registry of fault packages: every fault named once, with a vocabulary
// that the history format reads back; the names, options and help that the
// command line shows come from it; a run's choice of faults, its vocabulary
// and the routing of ops to the package that made them.
#include "nemesis/packages.h"

#include <gtest/gtest.h>

#include <set>

#include "nemesis/nemesis.h"
#include "nemesis/options.h"
#include "nemesis/targets.h"
#include "tests/nemesis/fakes.h"

namespace jepsen::nemesis {
namespace {

TEST(Registry, EveryFaultIsNamedOnceWithAVocabularyTheFormatReads) {
  std::set<std::string> names;
  for (const std::unique_ptr<Package>& p : NewPackages()) {
    const std::vector<history::FaultKind> kinds = p->kinds();
    ASSERT_FALSE(kinds.empty());
    for (const history::FaultKind& k : kinds) {
      EXPECT_TRUE(names.insert(k.name).second) << k.name << " is offered twice";
      EXPECT_NE(k.name, "none");
      EXPECT_FALSE(k.family.empty()) << k.name;
      EXPECT_FALSE(k.begins.empty()) << k.name;
      EXPECT_FALSE(k.ends.empty()) << k.name << ": every fault of ours is healed by its own end";
      EXPECT_FALSE(p->Help(k.name).empty()) << k.name;
    }
    // What the header records reads back as it was.
    Result<std::vector<history::FaultKind>> read =
        history::ParseFaultKinds(history::FaultKindsJson(kinds));
    ASSERT_TRUE(read.ok()) << read.message();
    std::set<std::string> read_names;
    for (const history::FaultKind& k : *read) {
      read_names.insert(k.name);
      const auto same = std::find_if(kinds.begin(), kinds.end(),
                                     [&](const history::FaultKind& o) { return o.name == k.name; });
      ASSERT_NE(same, kinds.end());
      EXPECT_EQ(*same, k);
    }
    EXPECT_EQ(read_names.size(), kinds.size());
  }
  EXPECT_EQ(NemesisNames().size(), names.size() + 2);
  EXPECT_EQ(NemesisNames()[0], "none");
  EXPECT_EQ(NemesisNames()[1], "all");
}

TEST(Registry, TheCommandLineOptionsComeFromIt) {
  const std::vector<options::Option> declared = Options();
  std::set<std::string> seen;
  const options::Option* nemesis = nullptr;
  const options::Option* target = nullptr;
  for (const options::Option& o : declared) {
    EXPECT_TRUE(seen.insert(o.name).second) << o.name << " is declared twice";
    if (o.name == "nemesis") nemesis = &o;
    if (o.name == "target") target = &o;
  }
  for (const char* name : {"nemesis", "target", "nemesis-interval", "overlap"}) {
    EXPECT_TRUE(seen.count(name)) << name;
  }
  ASSERT_NE(nemesis, nullptr);
  EXPECT_EQ(nemesis->choices, NemesisNames());
  for (const std::string& fault : NemesisNames()) {
    EXPECT_NE(options::Describe(*nemesis).find(fault), std::string::npos)
        << "--help names " << fault;
  }
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->choices, TargetNames());
  EXPECT_EQ(
      options::Parse(*nemesis, "kill,paus").message(),
      "unknown nemesis 'paus'; did you mean 'pause'? (known: none, all, kill, pause, partition, "
      "client-pause, power, torn, corrupt, disk-full, fsync-error, loss, slow, clock, "
      "client-clock)");
}

TEST(Choose, GroupsFaultsByPackageAndNamesAnUnknownOne) {
  Result<std::vector<Chosen>> chosen = Choose({"pause", "none", "client-pause", "kill", "pause"});
  ASSERT_TRUE(chosen.ok()) << chosen.message();
  ASSERT_EQ(chosen->size(), 2u) << "kill and pause share one package, and its state";
  EXPECT_EQ((*chosen)[0].names, (std::vector<std::string>{"pause", "kill"}));
  EXPECT_EQ((*chosen)[1].names, (std::vector<std::string>{"client-pause"}));
  EXPECT_TRUE(Choose({"none"})->empty());
  Result<std::vector<Chosen>> typo = Choose({"kill", "partiton"});
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.message().find("unknown nemesis 'partiton'; did you mean 'partition'?"),
            std::string::npos)
      << typo.message();
}

TEST(Vocabulary, HoldsTheKindsOfTheFaultsAskedForOnly) {
  Plan plan;
  plan.faults = {"client-pause", "kill"};
  Result<std::vector<history::FaultKind>> kinds = Vocabulary(plan);
  ASSERT_TRUE(kinds.ok());
  std::set<std::string> names;
  for (const history::FaultKind& k : *kinds) names.insert(k.name);
  EXPECT_EQ(names, (std::set<std::string>{"client-pause", "kill"}));
  plan.faults = {"none"};
  EXPECT_TRUE(Vocabulary(plan)->empty());
}

TEST(Nemesis, AnOpOfAFaultNotInTheRunIsAFailedFault) {
  testing::FakeSystem system({"n1"});
  Plan plan;
  plan.faults = {"kill"};
  Result<std::unique_ptr<Nemesis>> made = Nemesis::Make(plan, system, nullptr);
  ASSERT_TRUE(made.ok());
  Applied pause = (*made)->Apply(Op{"pause", "pause", Json::array({"n1"})});
  EXPECT_FALSE(pause.error.empty());
  Applied untagged = (*made)->Apply(Op{"kill", nullptr, Json::array({"n1"})});
  EXPECT_FALSE(untagged.error.empty());
  EXPECT_TRUE(system.calls.empty());
}

}  // namespace
}  // namespace jepsen::nemesis
