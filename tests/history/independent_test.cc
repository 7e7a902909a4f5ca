#include "history/independent.h"

#include <gtest/gtest.h>

#include "history/edn_reader.h"

namespace jepsen::history {
namespace {

TEST(Independent, SplitsPairsIntoKeyAndValue) {
  Result<History> h = ParseEdn(R"({:type :invoke, :f :write, :value [1 3], :process 0}
{:type :info, :f :partition, :value [:n1 :n2], :process :nemesis}
{:type :ok, :f :write, :value [1 3], :process 0}
{:type :invoke, :f :cas, :value ["b" [3 4]], :process 1}
{:type :fail, :f :cas, :value ["b" [3 4]], :process 1}
{:type :invoke, :f :read, :value [1 nil], :process 2}
)",
                               "ind.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_TRUE(SplitIndependentKeys(*h).ok());
  EXPECT_EQ(h->events[0].key, 1);
  EXPECT_EQ(h->events[0].value, 3);
  EXPECT_EQ(h->events[1].key, nullptr);  // nemesis left alone
  EXPECT_EQ(h->events[1].value, Json::parse(R"(["n1","n2"])"));
  EXPECT_EQ(h->events[3].key, "b");
  EXPECT_EQ(h->events[3].value, Json::parse("[3,4]"));
  EXPECT_EQ(h->events[5].value, nullptr);
  // Splitting again changes nothing: events with keys are already split.
  History copy = *h;
  ASSERT_TRUE(SplitIndependentKeys(*h).ok());
  EXPECT_EQ(h->events[3].value, copy.events[3].value);
}

struct Bad {
  const char* text;
  const char* message;  // the whole message
};

class IndependentErrors : public ::testing::TestWithParam<Bad> {};

TEST_P(IndependentErrors, NameFileLineAndFieldAndChangeNothing) {
  Result<History> h = ParseEdn(GetParam().text, "ind.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  History before = *h;
  Status s = SplitIndependentKeys(*h);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), GetParam().message);
  for (size_t i = 0; i < h->events.size(); ++i) {
    EXPECT_EQ(h->events[i].value, before.events[i].value);
    EXPECT_EQ(h->events[i].key, before.events[i].key);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rules, IndependentErrors,
    ::testing::Values(
        Bad{"{:type :invoke, :f :write, :value [1 3], :process 0}\n"
            "{:type :ok, :f :write, :value 3, :process 0}\n",
            "ind.edn:2: field 'value' is 3; expected a [key value] pair (independent keys)"},
        Bad{"{:type :invoke, :f :write, :value [1 2 3], :process 0}\n",
            "ind.edn:1: field 'value' is [1,2,3]; expected a [key value] pair (independent "
            "keys)"},
        Bad{"{:type :invoke, :f :read, :process 0}\n",
            "ind.edn:1: field 'value' is null; expected a [key value] pair (independent keys)"},
        Bad{"{:type :invoke, :f :write, :value [[1] 3], :process 0}\n",
            "ind.edn:1: field 'value' has key [1]; expected a string or an integer"},
        Bad{"{:type :invoke, :f :write, :value [1 3], :process 0}\n"
            "{:type :ok, :f :write, :value [2 3], :process 0}\n",
            "ind.edn:2: field 'value' has key 2 but the invoke at line 1 has key 1"}));

}  // namespace
}  // namespace jepsen::history
