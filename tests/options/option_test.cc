#include "options/option.h"

#include <gtest/gtest.h>

namespace jepsen::options {
namespace {

TEST(Option, ParsesEachKindToItsJsonType) {
  EXPECT_EQ(Parse(Integer("nodes", 3, {1, 64}, "Nodes"), "5").value(), Json(5));
  EXPECT_EQ(Parse(Number("drift", 0.01, {0, 0.5}, "Drift"), "0.25").value(), Json(0.25));
  EXPECT_EQ(Parse(Switch("fsync", true, "Fsync"), "off").value(), Json(false));
  EXPECT_EQ(Parse(Text("node-cmd", "", "Cmd"), "a b").value(), Json("a b"));
  EXPECT_EQ(Parse(Choice("reads", "linearizable", {"linearizable", "serializable"}, "Reads"),
                  "serializable")
                .value(),
            Json("serializable"));
  EXPECT_EQ(Parse(Choices("nemesis", {}, {"kill", "pause"}, "Faults"), "kill,pause").value(),
            Json({"kill", "pause"}));
}

TEST(Option, ErrorsNameTheOptionAndWhatWasExpected) {
  EXPECT_EQ(Parse(Integer("nodes", 3, {1, 64}, "Nodes"), "65").message(),
            "nodes: '65' is out of range; expected a whole number from 1 to 64");
  EXPECT_EQ(Parse(Number("drift", 0.01, {0, 0.5}, "Drift"), "nan").message(),
            "drift: 'nan' is not a finite number; expected a number from 0 to 0.5");
  EXPECT_EQ(Parse(Switch("fsync", true, "Fsync"), "maybe").message(),
            "fsync: 'maybe' is not on or off");
  EXPECT_EQ(Parse(Choices("nemesis", {}, {"kill", "pause"}, "Faults"), "kill,paus").message(),
            "unknown nemesis 'paus'; did you mean 'pause'? (known: kill, pause)");
  EXPECT_FALSE(Parse(Choices("nemesis", {}, {"kill"}, "Faults"), ",").ok());
}

TEST(Option, DescribeShowsRangeChoicesAndDefault) {
  EXPECT_EQ(Describe(Integer("nodes", 3, {1, 64}, "Nodes")), "Nodes [from 1 to 64] (default: 3)");
  EXPECT_EQ(Describe(Switch("fsync", true, "Fsync")), "Fsync [on or off] (default: on)");
  EXPECT_EQ(Describe(Choices("nemesis", {"kill"}, {"kill", "pause"}, "Faults")),
            "Faults [comma-separated: kill, pause] (default: kill)");
  EXPECT_EQ(Describe(Text("store", "", "Where")), "Where (default: )");
  EXPECT_EQ(Describe(Text("node-cmd", "Cmd")), "Cmd");  // no default
  EXPECT_EQ(Describe(Choices("bug", {}, {"a", "b"}, "Bugs")), "Bugs [comma-separated: a, b]");
}

TEST(Option, ValuesHoldDefaultsUntilSet) {
  Values values({Integer("nodes", 3, {1, 64}, "Nodes"), Switch("fsync", true, "Fsync")});
  EXPECT_EQ(values.Integer("nodes"), 3);
  EXPECT_TRUE(values.On("fsync"));
  values.Set("nodes", 5);
  EXPECT_EQ(values.Integer("nodes"), 5);
  EXPECT_EQ(values.ToJson(), Json({{"fsync", true}, {"nodes", 5}}));
  EXPECT_FALSE(values.Has("reads"));
  EXPECT_EQ(Values({Text("node-cmd", "Cmd")}).Text("node-cmd"), "");
}

TEST(Option, UnsignedTakesTheWholeRangeOfASeed) {
  const Option seed = Unsigned("seed", 0, {0, UINT64_MAX}, "Seed");
  EXPECT_EQ(Parse(seed, "18446744073709551615").value(), Json(UINT64_MAX));
  EXPECT_EQ(Parse(seed, "-1").message(),
            "seed: '-1' is out of range; expected a whole number from 0 to 18446744073709551615");
  EXPECT_EQ(Describe(seed), "Seed [from 0 to 18446744073709551615] (default: 0)");
}

// What a program sets through the C++ API is judged as the command line's text would be.
TEST(Option, ValidateTakesTheKindsJsonTypeOrText) {
  const Option nodes = Integer("nodes", 3, {1, 64}, "Nodes");
  EXPECT_EQ(Validate(nodes, 5).value(), Json(5));
  EXPECT_EQ(Validate(nodes, "5").value(), Json(5));
  EXPECT_EQ(Validate(nodes, 65).message(),
            "nodes: '65' is out of range; expected a whole number from 1 to 64");
  EXPECT_EQ(Validate(nodes, 2.5).message(),
            "nodes: '2.5' is not a whole number; expected a whole number from 1 to 64");
  EXPECT_EQ(Validate(nodes, true).message(), "nodes: true is not a number");
  const Option drift = Number("drift", 0.01, {0, 0.5}, "Drift");
  EXPECT_TRUE(Validate(drift, 0).value().is_number_float());  // a whole number is a number
  EXPECT_EQ(Validate(drift, 0.6).message(),
            "drift: '0.6' is out of range; expected a number from 0 to 0.5");
  const Option seed = Unsigned("seed", 0, {0, UINT64_MAX}, "Seed");
  EXPECT_EQ(Validate(seed, -1).message(),
            "seed: '-1' is out of range; expected a whole number from 0 to 18446744073709551615");
  const Option fsync = Switch("fsync", true, "Fsync");
  EXPECT_EQ(Validate(fsync, false).value(), Json(false));
  EXPECT_EQ(Validate(fsync, "off").value(), Json(false));
  EXPECT_EQ(Validate(fsync, 0).message(), "fsync: 0 is not on or off (a boolean)");
  const Option bug = Choices("bug", {}, {"stale-reads", "memory-only"}, "Bugs");
  EXPECT_EQ(Validate(bug, Json::array({"memory-only"})).value(), Json::array({"memory-only"}));
  EXPECT_EQ(Validate(bug, "stale-reads,memory-only").value(),
            Json::array({"stale-reads", "memory-only"}));
  EXPECT_EQ(Validate(bug, Json::array({"memory-onl"})).message(),
            "unknown bug 'memory-onl'; did you mean 'memory-only'? (known: stale-reads, "
            "memory-only)");
  EXPECT_EQ(Validate(bug, Json::array({1})).message(), "bug: [1] is not a list of names");
  EXPECT_EQ(Validate(Text("node-cmd", "", "Cmd"), 7).message(), "node-cmd: 7 is not text");
}

TEST(Option, ResolveGivesDefaultsThenWhatWasGiven) {
  const std::vector<Option> declared = {Integer("nodes", 3, {1, 64}, "Nodes"),
                                        Switch("fsync", true, "Fsync")};
  Values given;
  given.Set("nodes", 5);
  given.Set("reads", "serializable");  // not declared here: someone else's to judge
  Result<Values> values = Resolve(declared, given);
  ASSERT_TRUE(values.ok()) << values.message();
  EXPECT_EQ(values->Integer("nodes"), 5);
  EXPECT_TRUE(values->Given("nodes"));
  EXPECT_TRUE(values->On("fsync"));
  EXPECT_FALSE(values->Given("fsync"));
  EXPECT_FALSE(values->Has("reads"));
  given.Set("nodes", 0);
  EXPECT_EQ(Resolve(declared, given).message(),
            "nodes: '0' is out of range; expected a whole number from 1 to 64");
  EXPECT_EQ(Find(declared, "fsync"), &declared[1]);
  EXPECT_EQ(Find(declared, "reads"), nullptr);
}

TEST(NearestName, SuggestsTyposAndPrefixesOnly) {
  const std::vector<std::string> known = {"workload", "model", "time-limit", "memory-limit",
                                          "seed"};
  EXPECT_EQ(NearestName("workloads", known), "workload");
  EXPECT_EQ(NearestName("xyzzy", known), "");
}

}  // namespace
}  // namespace jepsen::options
