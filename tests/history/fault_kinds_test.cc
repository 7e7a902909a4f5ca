// The header's fault vocabulary (`faults`) and the events' `fault` tags: read
// as written, kept on the History, and a malformed vocabulary is an error
// naming the file, the header's line and the field -- never a guess, and never
// a colour a report would paste into a style attribute unchecked.
#include "history/fault_kinds.h"

#include <gtest/gtest.h>

#include "history/jsonl.h"

namespace jepsen::history {
namespace {

const FaultKind kPower{"power", "disk", {"power"}, {"start"}, true, "power lost", "#c0c0ff"};

TEST(FaultKinds, ReadBackAsWritten) {
  const Json field = FaultKindsJson({kPower});
  EXPECT_EQ(field["power"]["ends"], Json::array({"start"}));
  Result<std::vector<FaultKind>> read = ParseFaultKinds(field);
  ASSERT_TRUE(read.ok()) << read.message();
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0], kPower);
  // Only begins is required: a kind from another tool may say less.
  read = ParseFaultKinds(Json::parse(R"({"bump":{"begins":["bump"],"extra":1}})"));
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_TRUE((*read)[0].ends.empty());
  EXPECT_TRUE((*read)[0].counts);
}

TEST(FaultKinds, TheHeaderHoldsThemAndEventsNameTheirKind) {
  Json header = {{"format", "jepsen-history/1"}, {"workload", "register"}};
  header["faults"] = FaultKindsJson({kPower});
  const std::string text =
      header.dump() + "\n" +
      R"({"type":"info","process":"nemesis","f":"power","value":["n1"],"fault":"power"})" + "\n" +
      R"({"type":"info","process":"nemesis","f":"start","value":["n1"]})" + "\n";
  Result<History> h = ParseJsonl(text, "run.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_TRUE(h->fault_kinds.has_value());
  EXPECT_EQ(*h->fault_kinds, std::vector<FaultKind>{kPower});
  EXPECT_EQ(FaultTag(h->events[0]), "power");
  EXPECT_EQ(FaultTag(h->events[1]), "");
  Result<History> none = ParseJsonl(R"({"format":"jepsen-history/1"})"
                                    "\n",
                                    "old.jsonl");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->fault_kinds.has_value()) << "absent, not empty: the built-in one applies";
}

struct BadVocabulary {
  const char* faults;
  const char* message;
};

class MalformedFaults : public ::testing::TestWithParam<BadVocabulary> {};

TEST_P(MalformedFaults, AreAnErrorNamingLineAndField) {
  const std::string text = std::string("\n") +  // the header on line 2
                           R"({"format":"jepsen-history/1","faults":)" + GetParam().faults + "}\n" +
                           R"({"type":"invoke","process":0,"f":"read"})" + "\n";
  Result<History> h = ParseJsonl(text, "bad.jsonl");
  ASSERT_FALSE(h.ok()) << GetParam().faults;
  EXPECT_EQ(h.message(), std::string("bad.jsonl:2: header field ") + GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Fields, MalformedFaults,
    ::testing::Values(
        BadVocabulary{"[1]", "faults: expected an object of fault kinds by name, got [1]"},
        BadVocabulary{R"({"kill":5})", "faults.kill: expected an object, got 5"},
        BadVocabulary{R"({"kill":{}})", "faults.kill.begins: missing"},
        BadVocabulary{R"({"kill":{"begins":[]}})",
                      "faults.kill.begins: expected a list of event names, got []"},
        BadVocabulary{R"({"kill":{"begins":["kill"],"ends":"start"}})",
                      "faults.kill.ends: expected a list of event names, got \"start\""},
        BadVocabulary{R"({"kill":{"begins":["kill",""]}})",
                      "faults.kill.begins: expected a list of event names, got [\"kill\",\"\"]"},
        BadVocabulary{R"({"kill":{"begins":["kill"],"counts":"yes"}})",
                      "faults.kill.counts: expected true or false, got \"yes\""},
        BadVocabulary{R"({"kill":{"begins":["kill"],"label":7}})",
                      "faults.kill.label: expected a string, got 7"},
        BadVocabulary{R"j({"kill":{"begins":["kill"],"color":"red;background:url(x)"}})j",
                      "faults.kill.color: expected \"#rgb\" or \"#rrggbb\", got "
                      "\"red;background:url(x)\""},
        BadVocabulary{R"({"k\u001b[31m":{"begins":[1]}})",
                      "faults.k\\u001b[31m.begins: expected a list of event names, got [1]"}));

}  // namespace
}  // namespace jepsen::history
