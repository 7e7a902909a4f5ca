#include "checker/junit.h"

#include <gtest/gtest.h>

namespace jepsen::checker {
namespace {

CheckResult Result(const std::string& checker, Verdict verdict, const std::string& summary,
                   const std::string& explanation = "") {
  CheckResult r;
  r.checker = checker;
  r.verdict = verdict;
  r.summary = summary;
  r.explanation = explanation;
  return r;
}

TEST(JUnit, OneCasePerCheckerWithFailuresAndErrors) {
  std::string xml =
      ToJUnit({{"run-1",
                {Result("linearizable", Verdict::kValid, "ok"),
                 Result("leases", Verdict::kInvalid, "1 violation: L1", "L1 mutual exclusion ..."),
                 Result("checkpoints", Verdict::kUnknown, "unknown: time limit reached")},
                1.5,
                ""},
               {"broken.jsonl", {}, 0, "broken.jsonl:3: malformed JSON"}});
  EXPECT_NE(xml.find("<testsuites name=\"jepsen\" tests=\"4\" failures=\"1\" errors=\"2\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(
      xml.find("<testcase classname=\"run-1\" name=\"leases\" time=\"1.500\">\n"
               "      <failure message=\"1 violation: L1\">L1 mutual exclusion ...</failure>"),
      std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<error message=\"unknown: time limit reached\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<error message=\"broken.jsonl:3: malformed JSON\"/>"), std::string::npos);
}

TEST(JUnit, EscapesEverythingAHistoryCanContain) {
  std::string xml = ToJUnit(
      {{"a\"<b>&'c",
        {Result("x", Verdict::kInvalid, "<script>\"q\"</script>", "value \x01 & </failure> é")},
        0,
        ""}});
  EXPECT_EQ(xml.find("<script>"), std::string::npos);
  EXPECT_EQ(xml.find("</failure> é"), std::string::npos);
  EXPECT_NE(xml.find("name=\"a&quot;&lt;b&gt;&amp;&apos;c\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("value ? &amp; &lt;/failure&gt; é</failure>"), std::string::npos) << xml;
}

}  // namespace
}  // namespace jepsen::checker
