#include "history/load.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "history/edn_reader.h"
#include "history/jsonl.h"

namespace jepsen::history {
namespace {

const std::string kShared = JEPSEN_SHARED_HISTORIES;

#define SKIP_WITHOUT_SHARED()                                    \
  if (!std::filesystem::is_directory(kShared)) {                 \
    GTEST_SKIP() << "public histories not found at " << kShared; \
  }

std::string TempFile(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name + "." + std::to_string(::getpid());
  std::ofstream(path) << text;
  return path;
}

std::string Head(const std::string& path) {
  std::ifstream in(path);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

TEST(Load, FormatNames) {
  for (Format f : {Format::kAuto, Format::kJsonl, Format::kEdn, Format::kEtcdLog}) {
    EXPECT_EQ(ParseFormat(ToString(f)), f);
  }
  EXPECT_EQ(ToString(Format::kEtcdLog), "etcd-log");
  EXPECT_FALSE(ParseFormat("yaml").has_value());
}

TEST(Load, DetectsFormatsFromTheFirstBytes) {
  EXPECT_EQ(DetectFormat(R"({"type":"invoke"})"), Format::kJsonl);
  EXPECT_EQ(DetectFormat(R"({"format":"jepsen-history/1"})"), Format::kJsonl);
  EXPECT_EQ(DetectFormat("\n\n  [{\"type\":1}]"), Format::kJsonArray);
  EXPECT_EQ(DetectFormat("[\n{\"type\":1}]"), Format::kJsonArray);
  EXPECT_EQ(DetectFormat(" [ ] "), Format::kJsonArray);
  EXPECT_EQ(DetectFormat("{:type :invoke}"), Format::kEdn);
  EXPECT_EQ(DetectFormat("[{:type :invoke}]"), Format::kEdn);
  EXPECT_EQ(DetectFormat("[\n {:process 1}]"), Format::kEdn);
  EXPECT_EQ(DetectFormat("({:type :invoke})"), Format::kEdn);
  EXPECT_EQ(DetectFormat("#jepsen.history.Op{:type :invoke}"), Format::kEdn);
  EXPECT_EQ(DetectFormat("[#jepsen.history.Op{:type :invoke}]"), Format::kEdn);
  EXPECT_EQ(DetectFormat("; Knossos history\n[{"), Format::kEdn);
  EXPECT_EQ(DetectFormat("INFO  jepsen.util - 3\t:invoke\t:cas\t[1 2]\n"), Format::kEtcdLog);
  EXPECT_EQ(DetectFormat("2017 INFO jepsen.core - start\nINFO  jepsen.util - 3 :invoke :read nil"),
            Format::kEtcdLog);
  EXPECT_EQ(DetectFormat(""), Format::kJsonl);
  EXPECT_EQ(DetectFormat("garbage"), Format::kEtcdLog);  // LoadHistory: "not a history"
}

TEST(Load, LoadsEachFormatByDetection) {
  std::string jsonl = TempFile("l.jsonl", R"({"type":"invoke","process":0,"f":"read"})"
                                          "\n");
  std::string edn = TempFile("l.edn", "{:type :invoke, :f :read, :process 0}\n");
  std::string log = TempFile("l.log", "noise\nINFO  jepsen.util - 0\t:invoke\t:read\tnil\n");
  std::string array = TempFile("l.json", R"([{"type":"invoke","process":0,"f":"read"}])");
  for (const std::string& path : {jsonl, edn, log, array}) {
    Result<History> h = LoadHistory(path);
    ASSERT_TRUE(h.ok()) << h.message();
    ASSERT_EQ(h->events.size(), 1u) << path;
    EXPECT_EQ(h->events[0].f, "read") << path;
    std::remove(path.c_str());
  }
}

TEST(Load, AnExplicitFormatIsObeyed) {
  std::string path = TempFile("x.txt", "{:type :invoke, :f :read, :process 0}\n");
  EXPECT_TRUE(LoadHistory(path, Format::kEdn).ok());
  Result<History> wrong = LoadHistory(path, Format::kJsonl);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.message().find(":1: malformed JSON"), std::string::npos) << wrong.message();
  std::remove(path.c_str());
}

TEST(Load, MissingFileIsAClearError) {
  for (Format f : {Format::kAuto, Format::kJsonl, Format::kEdn, Format::kEtcdLog}) {
    Result<History> h = LoadHistory("/nonexistent/h", f);
    ASSERT_FALSE(h.ok());
    EXPECT_EQ(h.message().rfind("/nonexistent/h: cannot open", 0), 0u) << h.message();
  }
}

// JSON arrays (elle-cli) go through the JSONL reader's event rules.

TEST(JsonArray, ReadsEventsNumberedByElement) {
  Result<History> h = ParseJsonl(R"(
[{"type":"invoke","process":0,"f":"read","time":5,"index":0},
 {"type":"ok","process":0,"f":"read","value":{"a":[1,"]"]},"time":9,"index":1},
 {"type":"info","process":"nemesis","f":"kill","time":10,"index":2}]
)",
                                 "a.json");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->events.size(), 3u);
  EXPECT_EQ(h->format, Format::kJsonArray);
  EXPECT_EQ(h->events[0].line, 1);
  EXPECT_EQ(h->events[1].line, 2);
  EXPECT_EQ(h->events[1].value, Json::parse(R"({"a":[1,"]"]})"));
  EXPECT_EQ(h->events[1].time, 9);
  EXPECT_TRUE(h->events[2].is_nemesis());
  EXPECT_TRUE(h->warnings.empty());
}

TEST(JsonArray, TimeOutOfOrderFallsBackToPosition) {
  Result<History> h = ParseJsonl(
      R"([{"type":"invoke","process":0,"f":"read","time":50},{"type":"ok","process":0,"f":"read","time":40}])",
      "t.json");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_NE(h->warnings[0].find("t.json: element 2: field 'time' goes backwards"),
            std::string::npos)
      << h->warnings[0];
  EXPECT_EQ(h->events[1].extra["json_time"], 40);
}

TEST(JsonArray, EmptyArray) {
  Result<History> h = ParseJsonl(" [ ] \n", "e.json");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_TRUE(h->events.empty());
}

TEST(JsonArray, IgnoresACutShortFinalElementWithAWarning) {
  Result<History> h = ParseJsonl(
      "[{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"},\n{\"type\":\"ok\",\"proc", "c.json");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_EQ(h->warnings[0],
            "c.json: element 2: final element cut short at the end of the file; ignored");
  EXPECT_EQ(h->events.size(), 1u);
}

TEST(JsonArray, DeepNestingIsAnErrorNotACrash) {
  std::string text = R"([{"type":"invoke","process":0,"f":"write","value":)" +
                     std::string(200000, '[') + std::string(200000, ']') + "}]";
  Result<History> h = ParseJsonl(text, "deep.json");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message().rfind("deep.json: element 1: malformed JSON", 0), 0u) << h.message();
}

struct Bad {
  const char* second;   // the second element
  const char* message;  // after "bad.json: element 2: "
};

class JsonArrayErrors : public ::testing::TestWithParam<Bad> {};

TEST_P(JsonArrayErrors, NameFileLineAndField) {
  std::string text = std::string("[{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"},\n") +
                     GetParam().second + "\n]\n";
  Result<History> h = ParseJsonl(text, "bad.json");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message().rfind("bad.json: element 2: ", 0), 0u) << h.message();
  EXPECT_NE(h.message().find(GetParam().message), std::string::npos) << h.message();
}

INSTANTIATE_TEST_SUITE_P(
    Rules, JsonArrayErrors,
    ::testing::Values(Bad{R"([1,2])", "not a JSON object"}, Bad{R"("text")", "not a JSON object"},
                      Bad{R"({"type":"ok","process":0,"f":"read",})", "malformed JSON"},
                      Bad{R"({"type":"done","process":0,"f":"read"})", "field 'type'"},
                      Bad{R"({"type":"ok","process":-1,"f":"read"})", "field 'process'"},
                      Bad{R"({"type":"ok","process":0})", "missing field 'f'"},
                      Bad{R"({"type":"ok","process":0,"f":"write"})", "field 'f'"},
                      Bad{R"({"type":"ok","process":0,"f":"read"} {"x":1})",
                          "malformed JSON: expected ',' or ']' after it"},
                      Bad{R"({"type":"ok","process":0,"f":"read"},)",
                          "malformed JSON: ',' before ']'"}));

TEST(JsonArray, TextAfterTheArrayIsAnError) {
  Result<History> h = ParseJsonl("[]\n[]\n", "after.json");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message(),
            "after.json: element 1: malformed JSON: text after the array's closing ']'");
}

TEST(JsonArray, AnUnclosedElementBeforeTheLastLineIsAnError) {
  Result<History> h = ParseJsonl("[{\"type\":\"invoke\",\n\n\n\"x\":1\n", "u.json");
  // The element never closes but begins on line 1, not the last line.
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message(), "u.json: element 1: malformed JSON: the element is never closed");
}

TEST(JsonArray, ReadJsonlReadsArrayFiles) {
  std::string path = TempFile("arr.json",
                              "\n\n[{\"type\":\"invoke\",\"process\":0,\"f\":\"r\"},\n"
                              " {\"type\":\"ok\",\"process\":0,\"f\":\"r\"}]\n");
  Result<History> h = ReadJsonl(path);
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->events.size(), 2u);
  EXPECT_EQ(h->events[1].line, 2);
  std::remove(path.c_str());
}

// Every flavour of the public corpus is detected and loads.

struct CorpusFile {
  const char* path;
  Format format;
  size_t events;
};

class Corpus : public ::testing::TestWithParam<CorpusFile> {};

TEST_P(Corpus, IsDetectedAndLoads) {
  SKIP_WITHOUT_SHARED();
  const std::string path = kShared + GetParam().path;
  EXPECT_EQ(DetectFormat(Head(path)), GetParam().format);
  Result<History> h = LoadHistory(path);
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->format, GetParam().format);
  EXPECT_EQ(h->events.size(), GetParam().events);
}

INSTANTIATE_TEST_SUITE_P(
    Flavours, Corpus,
    ::testing::Values(
        CorpusFile{"/knossos/cas-register/good/memstress3-4.edn", Format::kEdn, 600},
        CorpusFile{"/knossos/multi-register/good/multi-register.edn", Format::kEdn, 250},
        CorpusFile{"/knossos/cas-register/bad/mongodb-v0-ack-rollback-6.edn", Format::kEdn, 1492},
        CorpusFile{"/knossos/mutex/bad/etcd.edn", Format::kEdn, 1135},
        CorpusFile{"/porcupine/kv/c01-ok.txt", Format::kEdn, 116},
        CorpusFile{"/porcupine/jepsen/etcd_000.log", Format::kEtcdLog, 170},
        CorpusFile{"/porcupine/jepsen/etcd_100.log", Format::kEtcdLog, 154},
        CorpusFile{"/porcupine/jepsen/etcd_095.log", Format::kJsonl, 0},  // empty
        CorpusFile{"/elle-cli/jepsen/bank.json", Format::kJsonArray, 680},
        CorpusFile{"/elle-cli/jepsen/bank.edn", Format::kEdn, 680},
        CorpusFile{"/elle-cli/jepsen/set.edn", Format::kEdn, 8},
        CorpusFile{"/elle-cli/knossos/mutex/bad/etcd.json", Format::kJsonArray, 1135},
        CorpusFile{"/elle/si-without-g-single.edn", Format::kEdn, 8}));

TEST(CorpusTwins, JsonArrayAndEdnGiveTheSameEvents) {
  SKIP_WITHOUT_SHARED();
  Result<History> edn = ReadEdn(kShared + "/knossos/mutex/bad/etcd.edn");
  Result<History> json = ReadJsonl(kShared + "/elle-cli/knossos/mutex/bad/etcd.json");
  ASSERT_TRUE(edn.ok()) << edn.message();
  ASSERT_TRUE(json.ok()) << json.message();
  ASSERT_EQ(edn->events.size(), json->events.size());
  for (size_t i = 0; i < edn->events.size(); ++i) {
    const Event& a = edn->events[i];
    const Event& b = json->events[i];
    ASSERT_EQ(a.type, b.type) << i;
    ASSERT_EQ(a.process, b.process) << i;
    ASSERT_EQ(a.f, b.f) << i;
    ASSERT_EQ(a.value, b.value) << i;
    ASSERT_EQ(a.index, b.index) << i;
    ASSERT_EQ(a.extra.at("edn_time"), b.extra.at("json_time")) << i;
  }
  EXPECT_EQ(edn->ops.size(), json->ops.size());
}

}  // namespace
}  // namespace jepsen::history
