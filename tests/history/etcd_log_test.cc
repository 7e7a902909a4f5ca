#include "history/etcd_log.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace jepsen::history {
namespace {

const std::string kShared = JEPSEN_SHARED_HISTORIES;

#define SKIP_WITHOUT_SHARED()                                    \
  if (!std::filesystem::is_directory(kShared)) {                 \
    GTEST_SKIP() << "public histories not found at " << kShared; \
  }

TEST(EtcdLog, ReadsTabSeparatedLines) {
  Result<History> h = ParseEtcdLog(
      "INFO  jepsen.util - 3\t:invoke\t:cas\t[1 2]\n"
      "INFO  jepsen.util - 0\t:invoke\t:read\tnil\n"
      "INFO  jepsen.util - 3\t:ok\t:cas\t[1 2]\n"
      "INFO  jepsen.util - 0\t:info\t:read\t:timed-out\n",
      "t.log");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->events.size(), 4u);
  EXPECT_EQ(h->events[0].process, 3);
  EXPECT_EQ(h->events[0].f, "cas");
  EXPECT_EQ(h->events[0].value, Json::parse("[1,2]"));
  EXPECT_EQ(h->events[1].value, nullptr);
  EXPECT_EQ(h->events[3].value, "timed-out");
  EXPECT_EQ(h->events[3].type, EventType::kInfo);
  EXPECT_EQ(h->events[2].time, 3);  // no times in logs: the line stands in
  ASSERT_EQ(h->ops.size(), 2u);
  EXPECT_EQ(h->ops[0].outcome, EventType::kOk);
  EXPECT_EQ(h->ops[1].outcome, EventType::kInfo);
}

TEST(EtcdLog, BytesThatAreNotUtf8AreAnErrorNamingTheLine) {
  for (std::string_view bad : {"INFO  jepsen.util - 3\t:invoke\t:cas\t[\xff 2]\n",
                               "INFO  jepsen.util - 3\t:invoke\t:c\xc3s\t[1 2]\n",
                               "INFO  jepsen.util - 3\t:invoke\t:read\t\xff\n",
                               "INFO  jepsen.util - 3\t:invoke\t:read\t\xc3\n"}) {
    Result<History> h =
        ParseEtcdLog("INFO  jepsen.util - 0\t:invoke\t:read\tnil\n" + std::string(bad), "t.log");
    ASSERT_FALSE(h.ok()) << bad;
    EXPECT_EQ(h.message(), "t.log:2: not valid UTF-8");
  }
  // Log noise that is not an op line is skipped whatever its bytes.
  Result<History> noise =
      ParseEtcdLog("garbage \xff\xfe\nINFO  jepsen.util - 0\t:invoke\t:read\tnil\n", "t.log");
  ASSERT_TRUE(noise.ok()) << noise.message();
}

TEST(EtcdLog, ReadsSpaceSeparatedLines) {
  Result<History> h = ParseEtcdLog(
      "INFO  jepsen.util - 4   :invoke :cas    [1 2]\n"
      "INFO  jepsen.util - 4   :fail   :cas    [1 2]\n"
      "INFO  jepsen.util - 1   :invoke :write  3\n",
      "s.log");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->events.size(), 3u);
  EXPECT_EQ(h->events[1].type, EventType::kFail);
  EXPECT_EQ(h->events[1].value, Json::parse("[1,2]"));
  EXPECT_EQ(h->events[2].value, 3);
}

TEST(EtcdLog, SkipsNoiseAndKeepsLineNumbers) {
  Result<History> h = ParseEtcdLog(
      "INFO  jepsen.core - Running test\r\n"
      "\n"
      "INFO  jepsen.util - :nemesis\t:info\t:start\tnil\r\n"
      "INFO  jepsen.util - 2\t:invoke\t:write\t4\r\n",
      "n.log");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->events.size(), 2u);
  EXPECT_TRUE(h->events[0].is_nemesis());
  EXPECT_EQ(h->events[0].line, 3);
  EXPECT_EQ(h->events[1].line, 4);
  EXPECT_EQ(h->events[1].value, 4);
}

TEST(EtcdLog, AFifthColumnIsTheError) {
  Result<History> h = ParseEtcdLog(
      "INFO  jepsen.util - 1\t:invoke\t:read\tnil\n"
      "INFO  jepsen.util - 1\t:fail\t:read\tnil\t:not-found\n",
      "e.log");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->events[1].error, ":not-found");
  EXPECT_EQ(h->events[0].error, "");
}

TEST(EtcdLog, EmptyTextIsAnEmptyHistory) {
  Result<History> h = ParseEtcdLog("", "empty.log");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_TRUE(h->events.empty());
}

TEST(EtcdLog, IgnoresACutShortFinalLineWithAWarning) {
  Result<History> h = ParseEtcdLog(
      "INFO  jepsen.util - 1\t:invoke\t:cas\t[1 2]\nINFO  jepsen.util - 1\t:ok\t:cas\t[1",
      "cut.log");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_EQ(h->warnings[0].rfind("cut.log:2: final line cut short", 0), 0u);
  EXPECT_EQ(h->events.size(), 1u);
}

struct Bad {
  const char* line;
  const char* message;  // after "bad.log:2: "
};

class EtcdLogErrors : public ::testing::TestWithParam<Bad> {};

TEST_P(EtcdLogErrors, NameFileLineAndField) {
  std::string text =
      "INFO  jepsen.util - 0\t:invoke\t:read\tnil\n" + std::string(GetParam().line) + "\n";
  Result<History> h = ParseEtcdLog(text, "bad.log");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message(), std::string("bad.log:2: ") + GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, EtcdLogErrors,
    ::testing::Values(
        Bad{"INFO  jepsen.util - x\t:ok\t:read\tnil",
            "field 'process' is \"x\"; expected an integer >= 0 or :nemesis"},
        Bad{"INFO  jepsen.util - -1\t:ok\t:read\tnil",
            "field 'process' is \"-1\"; "
            "expected an integer >= 0 or :nemesis"},
        Bad{"INFO  jepsen.util - ", "missing field 'process'"},
        Bad{"INFO  jepsen.util - 0\t:done\t:read\tnil",
            "field 'type' is \":done\"; expected :invoke, :ok, :fail or :info"},
        Bad{"INFO  jepsen.util - 0\tok\t:read\tnil",
            "field 'type' is \"ok\"; expected :invoke, :ok, :fail or :info"},
        Bad{"INFO  jepsen.util - 0\t:ok", "missing field 'f'"},
        Bad{"INFO  jepsen.util - 0\t:ok\tread\tnil",
            "field 'f' is \"read\"; expected a keyword such as :read"},
        Bad{"INFO  jepsen.util - 0\t:ok\t:read", "missing field 'value'"},
        Bad{"INFO  jepsen.util - 0\t:ok\t:read\t[1 2",
            "field 'value' is not valid EDN: end of input inside the '[' opened at line 2 "
            "(no closing ']')"},
        Bad{"INFO  jepsen.util - 0\t:ok\t:read\t\"x\\q\"",
            "field 'value' is not valid EDN: unknown escape '\\q' in a string"},
        Bad{"INFO  jepsen.util - 0\t:ok\t:write\tnil",
            "completion field 'f' is \"write\" but the invoke at line 1 has \"read\""}));

TEST(EtcdLogCorpus, ReadsPorcupineTabLog) {
  SKIP_WITHOUT_SHARED();
  Result<History> h = ReadEtcdLog(kShared + "/porcupine/jepsen/etcd_000.log");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->ops.size(), 85u);  // as MANIFEST.tsv says
  EXPECT_EQ(h->events.size(), 170u);
}

TEST(EtcdLogCorpus, ReadsPorcupineSpaceLog) {
  SKIP_WITHOUT_SHARED();
  Result<History> h = ReadEtcdLog(kShared + "/porcupine/jepsen/etcd_100.log");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->ops.size(), 77u);
  EXPECT_EQ(h->events[0].f, "write");
  EXPECT_EQ(h->events[0].value, 3);
}

TEST(EtcdLogCorpus, ReadsEveryPorcupineLog) {
  SKIP_WITHOUT_SHARED();
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kShared + "/porcupine/jepsen")) {
    Result<History> h = ReadEtcdLog(entry.path().string());
    ASSERT_TRUE(h.ok()) << h.message();
    ++files;
  }
  EXPECT_EQ(files, 103);
}

TEST(EtcdLogCorpus, AnEmptyLogIsAnEmptyHistory) {
  SKIP_WITHOUT_SHARED();
  Result<History> h = ReadEtcdLog(kShared + "/porcupine/jepsen/etcd_095.log");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_TRUE(h->events.empty());
}

}  // namespace
}  // namespace jepsen::history
