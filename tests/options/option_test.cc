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
}

TEST(Option, ValuesHoldDefaultsUntilSet) {
  Values values({Integer("nodes", 3, {1, 64}, "Nodes"), Switch("fsync", true, "Fsync")});
  EXPECT_EQ(values.Integer("nodes"), 3);
  EXPECT_TRUE(values.On("fsync"));
  values.Set("nodes", 5);
  EXPECT_EQ(values.Integer("nodes"), 5);
  EXPECT_EQ(values.ToJson(), Json({{"fsync", true}, {"nodes", 5}}));
  EXPECT_FALSE(values.Has("reads"));
}

TEST(NearestName, SuggestsTyposAndPrefixesOnly) {
  const std::vector<std::string> known = {"workload", "model", "time-limit", "memory-limit",
                                          "seed"};
  EXPECT_EQ(NearestName("workloads", known), "workload");
  EXPECT_EQ(NearestName("xyzzy", known), "");
}

}  // namespace
}  // namespace jepsen::options
