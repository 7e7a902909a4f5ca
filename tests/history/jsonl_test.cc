#include "history/jsonl.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace jepsen::history {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/" + name + "." + std::to_string(::getpid());
}

TEST(Jsonl, ReadsTheSpecExample) {
  const char* text =
      R"({"format":"jepsen-history/1","workload":"leases","seed":7,"options":{"ttl_ms":2000,"drift":0.01}}
{"type":"invoke","process":0,"f":"acquire","key":"lock-a","value":{"ttl_ms":2000},"time":1000}
{"type":"ok","process":0,"f":"acquire","key":"lock-a","value":{"token":1},"time":90000}
{"type":"info","process":"nemesis","f":"kill","value":["n1"],"time":120000}
{"type":"invoke","process":1,"f":"write","key":"lock-a","value":{"token":1,"value":5},"time":130000}
{"type":"fail","process":1,"f":"write","key":"lock-a","value":{"token":1,"value":5},"time":150000,"error":"stale token"}
)";
  Result<History> h = ParseJsonl(text, "example.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->workload(), "leases");
  EXPECT_EQ(h->option("drift"), 0.01);
  ASSERT_EQ(h->events.size(), 5u);
  ASSERT_EQ(h->ops.size(), 2u);
  EXPECT_TRUE(h->events[2].is_nemesis());
  EXPECT_EQ(h->events[2].value, Json::parse(R"(["n1"])"));
  EXPECT_EQ(h->events[4].error, "stale token");
  EXPECT_EQ(h->value(h->ops[0]), Json::parse(R"({"token":1})"));
  EXPECT_EQ(h->events[0].key, "lock-a");
  EXPECT_EQ(h->events[0].line, 2);
  EXPECT_EQ(h->events[1].time, 90000);
}

TEST(Jsonl, KeepsUnknownKeysAsMetadata) {
  Result<History> h =
      ParseJsonl(R"({"type":"invoke","process":0,"f":"read","trace":"abc","node":"n2"})", "m");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->events[0].extra["trace"], "abc");
  EXPECT_EQ(h->events[0].node, "n2");
}

struct BadLine {
  const char* text;
  const char* message;
};

class JsonlErrors : public ::testing::TestWithParam<BadLine> {};

TEST_P(JsonlErrors, NameFileLineAndField) {
  std::string text =
      std::string(R"({"type":"invoke","process":0,"f":"read"})") + "\n" + GetParam().text + "\n";
  Result<History> h = ParseJsonl(text, "bad.jsonl");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message().rfind("bad.jsonl:2: ", 0), 0u) << h.message();
  EXPECT_NE(h.message().find(GetParam().message), std::string::npos) << h.message();
}

INSTANTIATE_TEST_SUITE_P(
    Rules, JsonlErrors,
    ::testing::Values(BadLine{R"({"type":"ok","process":0,"f":"read",)", "malformed JSON"},
                      BadLine{R"([1,2])", "not a JSON object"},
                      BadLine{R"({"type":"done","process":0,"f":"read"})", "field 'type'"},
                      BadLine{R"({"type":"ok","process":-2,"f":"read"})", "field 'process'"},
                      BadLine{R"({"type":"ok","process":"x","f":"read"})", "field 'process'"},
                      BadLine{R"({"type":"ok","f":"read"})", "missing field 'process'"},
                      BadLine{R"({"type":"ok","process":0})", "missing field 'f'"},
                      BadLine{R"({"process":0,"f":"read"})", "missing field 'type'"},
                      BadLine{R"({"type":"ok","process":0,"f":"read","key":[1]})", "field 'key'"},
                      BadLine{R"({"type":"ok","process":0,"f":"read","time":"soon"})",
                              "field 'time'"},
                      BadLine{R"({"type":"ok","process":0,"f":"write"})", "field 'f'"},
                      BadLine{R"({"type":"invoke","process":0,"f":"read"})", "still pending"},
                      BadLine{R"({"type":"ok","process":3,"f":"read"})", "no pending invoke"},
                      BadLine{R"({"format":"jepsen-history/1"})", "header"}));

TEST(Jsonl, RejectsAnUnknownFormatVersion) {
  Result<History> h = ParseJsonl(R"({"format":"jepsen-history/9"})", "v.jsonl");
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.message().find("v.jsonl:1: field 'format'"), std::string::npos);
}

TEST(Jsonl, DeepNestingIsAnErrorNotACrash) {
  std::string line = R"({"type":"invoke","process":0,"f":"write","value":)";
  line += std::string(200000, '[') + std::string(200000, ']') + "}\n";
  Result<History> h = ParseJsonl(line, "deep.jsonl");
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.message().find("deep.jsonl:1: malformed JSON"), std::string::npos) << h.message();
}

TEST(Jsonl, IgnoresACutShortFinalLineWithAWarning) {
  std::string text = R"({"type":"invoke","process":0,"f":"read"})"
                     "\n"
                     R"({"type":"ok","process":0,"f":"re)";
  Result<History> h = ParseJsonl(text, "cut.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_NE(h->warnings[0].find("cut.jsonl:2: final line cut short"), std::string::npos);
  ASSERT_EQ(h->ops.size(), 1u);
  EXPECT_EQ(h->ops[0].outcome, EventType::kInfo);  // the cut completion never counted
}

TEST(Jsonl, AcceptsAWholeFinalLineWithoutNewline) {
  Result<History> h = ParseJsonl(R"({"type":"invoke","process":0,"f":"read"})", "x");
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->warnings.empty());
  EXPECT_EQ(h->events.size(), 1u);
}

TEST(Jsonl, AMalformedLineThatIsNotLastIsAnError) {
  Result<History> h =
      ParseJsonl("{\"type\":\n{\"type\":\"invoke\",\"process\":0,\"f\":\"r\"}\n", "m.jsonl");
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.message().find("m.jsonl:1:"), std::string::npos);
}

TEST(Jsonl, SkipsBlankLinesButCountsThem) {
  Result<History> h = ParseJsonl("\n  \n{\"type\":\"invoke\",\"process\":0,\"f\":\"r\"}\n", "b");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->events[0].line, 3);
}

TEST(Jsonl, WriterOutputReadsBackTheSame) {
  std::string path = TempPath("roundtrip.jsonl");
  {
    auto writer = JsonlWriter::Create(path);
    ASSERT_TRUE(writer.ok()) << writer.message();
    ASSERT_TRUE((*writer)->WriteHeader({{"workload", "register"}}).ok());
    Event e;
    e.type = EventType::kInvoke;
    e.process = 2;
    e.f = "cas";
    e.key = 7;
    e.value = Json::parse("[1,2]");
    e.time = 5;
    e.index = 0;
    e.extra = {{"trace", "t"}};
    ASSERT_TRUE((*writer)->Write(e).ok());
    e.type = EventType::kOk;
    e.time = 9;
    e.index = 1;
    e.error = "";
    ASSERT_TRUE((*writer)->Write(e).ok());
    ASSERT_TRUE((*writer)->Sync().ok());
  }
  Result<History> h = ReadJsonl(path);
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->workload(), "register");
  ASSERT_EQ(h->events.size(), 2u);
  EXPECT_EQ(h->events[0].key, 7);
  EXPECT_EQ(h->events[0].value, Json::parse("[1,2]"));
  EXPECT_EQ(h->events[0].extra["trace"], "t");
  EXPECT_EQ(h->events[1].time, 9);
  EXPECT_EQ(h->ops[0].outcome, EventType::kOk);
  std::remove(path.c_str());
}

TEST(Jsonl, ReadsLinesLongerThanTheReadChunk) {
  std::string path = TempPath("long.jsonl");
  std::string big(9 << 20, 'x');  // longer than the 4 MiB chunk
  {
    std::ofstream out(path);
    out << R"({"type":"invoke","process":0,"f":"write","value":")" << big << "\"}\n";
    out << R"({"type":"ok","process":0,"f":"write"})"
        << "\n";
  }
  Result<History> h = ReadJsonl(path);
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->events[0].value.get<std::string>().size(), big.size());
  EXPECT_EQ(h->events[1].line, 2);
  std::remove(path.c_str());
}

TEST(Jsonl, MissingFileIsAClearError) {
  Result<History> h = ReadJsonl("/nonexistent/h.jsonl");
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.message().find("/nonexistent/h.jsonl: cannot open"), std::string::npos);
}

}  // namespace
}  // namespace jepsen::history
