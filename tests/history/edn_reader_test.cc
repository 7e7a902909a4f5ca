#include "history/edn_reader.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace jepsen::history {
namespace {

const std::string kShared = JEPSEN_SHARED_HISTORIES;

#define SKIP_WITHOUT_SHARED()                                    \
  if (!std::filesystem::is_directory(kShared)) {                 \
    GTEST_SKIP() << "public histories not found at " << kShared; \
  }

TEST(EdnReader, ReadsOneOpMapPerLine) {
  Result<History> h = ParseEdn(
      R"({:type :invoke, :f :write, :value 3, :process 0, :time 10, :index 0}
{:type :invoke, :f :read, :value nil, :process 1, :time 12, :index 1}
{:type :info, :f :start, :value ["n1" "n2"], :process :nemesis, :time 13, :index 2}
{:type :ok, :f :read, :value 3, :process 1, :time 20, :index 3, :node "n1"}
{:type :fail, :f :write, :value 3, :process 0, :time 30, :index 4, :error "boom", :trace-id 7}
)",
      "h.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_TRUE(h->warnings.empty());
  ASSERT_EQ(h->events.size(), 5u);
  ASSERT_EQ(h->ops.size(), 2u);
  const Event& write = h->events[0];
  EXPECT_EQ(write.type, EventType::kInvoke);
  EXPECT_EQ(write.f, "write");
  EXPECT_EQ(write.value, 3);
  EXPECT_EQ(write.process, 0);
  EXPECT_EQ(write.time, 10);
  EXPECT_EQ(write.line, 1);
  EXPECT_TRUE(h->events[2].is_nemesis());
  EXPECT_EQ(h->events[2].value, Json::parse(R"(["n1","n2"])"));
  EXPECT_EQ(h->events[3].node, "n1");
  EXPECT_EQ(h->events[4].error, "boom");
  EXPECT_EQ(h->events[4].extra["trace-id"], 7);
  EXPECT_EQ(h->events[4].index, 4);
  EXPECT_EQ(h->ops[0].outcome, EventType::kFail);
  EXPECT_EQ(h->value(h->ops[1]), 3);
}

TEST(EdnReader, ReadsAVectorOfMapsSpanningLines) {
  Result<History> h = ParseEdn(R"(; a comment first
[{:type :invoke,
  :f :txn,
  :value [[:read :x nil]],
  :process 3}
 {:type :ok,
  :f :txn,
  :value [[:read :x 0]],
  :process 3}])",
                               "v.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->events.size(), 2u);
  EXPECT_EQ(h->events[0].line, 2);  // where each map begins
  EXPECT_EQ(h->events[1].line, 6);
  EXPECT_EQ(h->events[1].value, Json::parse(R"([["read","x",0]])"));
  EXPECT_EQ(h->events[1].time, 6);  // no :time: the line stands in
  EXPECT_EQ(h->ops[0].outcome, EventType::kOk);
}

TEST(EdnReader, ReadsAListOfMaps) {
  Result<History> h = ParseEdn(
      "({:type :invoke, :f :read, :process 0}\n {:type :ok, :f :read, :process 0})", "l.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->events.size(), 2u);
}

TEST(EdnReader, ReadsTaggedOps) {
  Result<History> h = ParseEdn(
      "#jepsen.history.Op{:index 0, :time 5, :type :invoke, :process 0, :f :read, :value nil}\n"
      "#jepsen.history.Op{:index 1, :time 9, :type :ok, :process 0, :f :read, :value 2}\n",
      "t.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->events.size(), 2u);
  EXPECT_EQ(h->events[1].value, 2);
  EXPECT_EQ(h->events[1].time, 9);
}

TEST(EdnReader, NamespacedKeywordsSetsAndTags) {
  Result<History> h = ParseEdn(
      R"({:type :invoke, :f :txn/append, :key :k/x, :value #{1 2}, :process 0, :jepsen/at #inst "2024-01-01", :ns/flag :a/b})",
      "n.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  const Event& e = h->events[0];
  EXPECT_EQ(e.f, "txn/append");
  EXPECT_EQ(e.key, "k/x");
  EXPECT_EQ(e.value, Json::parse("[1,2]"));
  EXPECT_EQ(e.extra["jepsen/at"], "2024-01-01");
  EXPECT_EQ(e.extra["ns/flag"], "a/b");
}

TEST(EdnReader, ErrorsThatAreNotStringsKeepTheirEdnText) {
  Result<History> h = ParseEdn(R"({:type :invoke, :f :release, :process 1}
{:type :fail, :f :release, :process 1, :error :not-held}
{:type :invoke, :f :read, :process 1}
{:type :info, :f :read, :process 1, :error [:timeout  {:ms 500}]}
)",
                               "e.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->events[1].error, ":not-held");
  EXPECT_EQ(h->events[3].error, "[:timeout {:ms 500}]");
}

TEST(EdnReader, TimeOutOfFileOrderFallsBackToPosition) {
  Result<History> h = ParseEdn(R"({:type :invoke, :f :read, :process 0, :time 100}
{:type :invoke, :f :read, :process 1, :time 50}
{:type :ok, :f :read, :process 0, :time 120}
)",
                               "k.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_EQ(h->warnings[0].rfind("k.edn:2: field 'time' goes backwards here (50 after 100)", 0), 0u)
      << h->warnings[0];
  EXPECT_NE(h->warnings[0].find("'edn_time'"), std::string::npos);
  EXPECT_EQ(h->events[1].time, 2);  // the line
  EXPECT_EQ(h->events[1].extra["edn_time"], 50);
  EXPECT_EQ(h->events[0].extra["edn_time"], 100);
}

TEST(EdnReader, TimeOnSomeEventsOnlyFallsBackToPosition) {
  Result<History> h = ParseEdn(
      "{:type :invoke, :f :read, :process 0, :time 100}\n{:type :ok, :f :read, :process 0}\n",
      "k.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_NE(h->warnings[0].find("k.edn:2: field 'time' missing here"), std::string::npos);
  EXPECT_EQ(h->events[0].time, 1);
  EXPECT_EQ(h->events[0].extra["edn_time"], 100);
}

TEST(EdnReader, IndexIsUsedOnlyWhenStrictlyIncreasing) {
  Result<History> good = ParseEdn(
      "{:type :invoke, :f :read, :process 0, :index 10}\n"
      "{:type :ok, :f :read, :process 0, :index 11}\n",
      "i.edn");
  ASSERT_TRUE(good.ok()) << good.message();
  EXPECT_EQ(good->events[1].index, 11);
  EXPECT_TRUE(good->warnings.empty());

  Result<History> bad = ParseEdn(
      "{:type :invoke, :f :read, :process 0, :index 10}\n"
      "{:type :ok, :f :read, :process 0, :index 10}\n",
      "i.edn");
  ASSERT_TRUE(bad.ok()) << bad.message();
  EXPECT_EQ(bad->events[1].index, 1);  // the ordinal
  EXPECT_EQ(bad->events[1].extra["edn_index"], 10);
  ASSERT_EQ(bad->warnings.size(), 1u);
  EXPECT_NE(bad->warnings[0].find("i.edn:2: field 'index' not strictly increasing"),
            std::string::npos);
}

TEST(EdnReader, IgnoresAFinalFormCutShortWithAWarning) {
  Result<History> h =
      ParseEdn("{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :read, :pro", "cut.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_EQ(h->warnings[0], "cut.edn:2: final form cut short at the end of the file; ignored");
  ASSERT_EQ(h->events.size(), 1u);
  EXPECT_EQ(h->ops[0].outcome, EventType::kInfo);

  // Cut inside a string, and inside a vector whose ']' never came.
  for (std::string_view text : {"{:type :invoke, :f :read, :process 0}\n{:type :ok, :value \"ab",
                                "[{:type :invoke, :f :read, :process 0}\n {:type :ok, :f",
                                "[{:type :invoke, :f :read, :process 0}\n"}) {
    Result<History> cut = ParseEdn(text, "cut.edn");
    ASSERT_TRUE(cut.ok()) << cut.message();
    EXPECT_EQ(cut->events.size(), 1u) << text;
    EXPECT_EQ(cut->warnings.size(), 1u) << text;
  }
}

TEST(EdnReader, BytesThatAreNotUtf8AreAnErrorNamingTheLine) {
  Result<History> h = ParseEdn(
      "{:type :invoke, :f :write, :value 1, :process 0}\n"
      "{:type :ok, :f :write, :value [\xff 1], :process 0}\n",
      "bad.edn");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message(), "bad.edn:2: not valid UTF-8");
  // A character the end of the file cuts in two is a cut-short tail, not an error.
  Result<History> cut =
      ParseEdn("{:type :invoke, :f :read, :process 0}\n{:type :ok, :value \"caf\xc3", "cut.edn");
  ASSERT_TRUE(cut.ok()) << cut.message();
  EXPECT_EQ(cut->warnings.size(), 1u);
  // Whole characters of any length are fine.
  Result<History> fine = ParseEdn(
      "{:type :invoke, :f :write, :value \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\", "
      ":process 0}\n",
      "fine.edn");
  ASSERT_TRUE(fine.ok()) << fine.message();
  EXPECT_EQ(fine->events[0].value, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

TEST(EdnReader, AnUnclosedFormThatIsNotOnTheLastLineIsAnError) {
  // The map on line 1 is never closed: it swallows the rest, which is no cut-short tail.
  Result<History> h = ParseEdn(
      "{:type :invoke, :f :read, :process 0\n{:type :ok, :f :read, :process 0}\n", "u.edn");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message().rfind("u.edn:1: ", 0), 0u) << h.message();
}

TEST(EdnReader, DeepNestingIsAnErrorNotACrash) {
  std::string text = "{:type :invoke, :f :write, :process 0, :value " + std::string(200000, '[') +
                     std::string(200000, ']') + "}\n";
  Result<History> h = ParseEdn(text, "deep.edn");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message(), "deep.edn:1: nesting deeper than 1000 levels");
  // Unclosed as well: still the depth error, not a cut-short warning.
  Result<History> open = ParseEdn(std::string(200000, '['), "deep.edn");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.message(), "deep.edn:1: nesting deeper than 1000 levels");
}

struct Bad {
  const char* line;     // the second line of a file whose first is a valid invoke
  const char* message;  // what the error must contain after "bad.edn:2: "
};

class EdnReaderErrors : public ::testing::TestWithParam<Bad> {};

TEST_P(EdnReaderErrors, NameFileLineAndField) {
  std::string text = "{:type :invoke, :f :read, :process 0}\n" + std::string(GetParam().line) +
                     "\n{:type :invoke, :f :read, :process 9}\n";
  Result<History> h = ParseEdn(text, "bad.edn");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message().rfind("bad.edn:2: ", 0), 0u) << h.message();
  EXPECT_NE(h.message().find(GetParam().message), std::string::npos) << h.message();
}

INSTANTIATE_TEST_SUITE_P(
    Rules, EdnReaderErrors,
    ::testing::Values(
        Bad{"{:type :done, :f :read, :process 0}",
            "field 'type' is :done; expected :invoke, :ok, :fail or :info"},
        Bad{"{:type 3, :f :read, :process 0}", "field 'type' is 3"},
        Bad{"[:not :a :map]", "expected an op map, found vector"},
        Bad{"42", "expected an op map, found integer"},
        Bad{"{:type :ok, :f :read, :process \"nemesis\"}",
            "field 'process' is \"nemesis\"; expected an integer >= 0 or :nemesis"},
        Bad{"{:type :ok, :f :read, :process -1}", "field 'process' is -1"},
        Bad{"{:type :ok, :f :read, :process :p1}", "field 'process' is :p1"},
        Bad{"{:type :ok, :f [1], :process 0}", "field 'f' is [1]; expected a keyword"},
        Bad{"{:type :ok, :f :read, :process 0, :key [1 2]}", "field 'key' is [1 2]"},
        Bad{"{:type :ok, :f :read, :process 0, :time 1.5}",
            "field 'time' is 1.5; expected an integer within 64 bits (nanoseconds)"},
        Bad{"{:type :ok, :f :read, :process 0, :index :x}", "field 'index' is :x"},
        Bad{"{:f :read, :process 0}", "missing field 'type'"},
        Bad{"{:type :ok, :f :read}", "missing field 'process'"},
        Bad{"{:type :ok, :process 0}", "missing field 'f'"},
        Bad{"{:type :ok, :f :read, :process 0 :type :ok}", "key 'type' appears twice"},
        Bad{"{:type :ok, :f :read, :process 0]", "expected '}' to close the '{'"},
        Bad{"{:type :ok, :f :read, :process 0, :value \"\\x\"}", "unknown escape"},
        Bad{"{:type :ok, :f :write, :process 0}", "completion field 'f' is \"write\""},
        Bad{"{:type :invoke, :f :read, :process 0}", "still pending"},
        Bad{"{:type :ok, :f :read, :process 5}", "no pending invoke"}));

TEST(EdnReader, MissingFileIsAClearError) {
  Result<History> h = ReadEdn("/nonexistent/h.edn");
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.message().find("/nonexistent/h.edn: cannot open"), std::string::npos);
}

TEST(EdnReader, EmptyTextIsAnEmptyHistory) {
  Result<History> h = ParseEdn("; nothing here\n", "e.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_TRUE(h->events.empty());
}

// The public corpus: every flavour of Jepsen EDN we claim to read.

TEST(EdnReaderCorpus, KnossosMultiRegisterSpansLinesWithTimeOutOfOrder) {
  SKIP_WITHOUT_SHARED();
  Result<History> h = ReadEdn(kShared + "/knossos/multi-register/good/multi-register.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->events.size(), 250u);
  EXPECT_EQ(h->events[0].line, 2);
  EXPECT_EQ(h->events[1].line, 7);
  EXPECT_EQ(h->events[0].f, "txn");
  EXPECT_EQ(h->events[0].value, Json::parse(R"([["read","x",null]])"));
  EXPECT_EQ(h->events[0].extra["edn_time"], 7686455705);
  ASSERT_EQ(h->warnings.size(), 1u);
  EXPECT_NE(h->warnings[0].find("multi-register.edn:7: field 'time' goes backwards"),
            std::string::npos)
      << h->warnings[0];
}

TEST(EdnReaderCorpus, KnossosCasRegisterInOneVector) {
  SKIP_WITHOUT_SHARED();
  Result<History> h = ReadEdn(kShared + "/knossos/cas-register/good/memstress3-4.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->events.size(), 600u);
  EXPECT_EQ(h->events[0].process, 47);
  EXPECT_EQ(h->events[0].value, Json::parse("[0,2]"));
  EXPECT_EQ(h->events[599].line, 600);
}

TEST(EdnReaderCorpus, KnossosNemesisOpsAndComments) {
  SKIP_WITHOUT_SHARED();
  Result<History> h = ReadEdn(kShared + "/knossos/cas-register/bad/cas-failure.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  size_t nemesis = 0;
  for (const Event& e : h->events) nemesis += e.is_nemesis() ? 1 : 0;
  EXPECT_GT(nemesis, 0u);
  EXPECT_GT(h->ops.size(), 250u);
}

TEST(EdnReaderCorpus, KnossosMutexKeepsIndexButNotTime) {
  SKIP_WITHOUT_SHARED();
  Result<History> h = ReadEdn(kShared + "/knossos/mutex/bad/etcd.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->events.size(), 1135u);
  EXPECT_EQ(h->events[1].error, ":not-held");
  EXPECT_EQ(h->events[5].index, 5);
  EXPECT_EQ(h->events[5].extra["edn_time"], 584353142);
  EXPECT_EQ(h->warnings.size(), 1u);  // time only: the index is fine
}

TEST(EdnReaderCorpus, PorcupineKvLines) {
  SKIP_WITHOUT_SHARED();
  Result<History> h = ReadEdn(kShared + "/porcupine/kv/c01-ok.txt");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->ops.size(), 58u);
  EXPECT_EQ(h->events[0].key, "0");
  EXPECT_EQ(h->events[0].value, "x 0 0 y");
}

TEST(EdnReaderCorpus, ElleAndElleCliHistories) {
  SKIP_WITHOUT_SHARED();
  for (const char* file :
       {"/elle-cli/jepsen/bank.edn", "/elle-cli/jepsen/set.edn", "/elle-cli/jepsen/counter.edn",
        "/elle-cli/elle/rw-register.edn", "/elle/si-without-g-single.edn", "/elle/huge-scc.edn"}) {
    Result<History> h = ReadEdn(kShared + file);
    ASSERT_TRUE(h.ok()) << h.message();
    EXPECT_FALSE(h->events.empty()) << file;
  }
  Result<History> bank = ReadEdn(kShared + "/elle-cli/jepsen/bank.edn");
  EXPECT_EQ(bank->events[1].value["0"], 100);  // integer map keys become strings
  EXPECT_EQ(bank->events[1].time, 11245205834);
  EXPECT_TRUE(bank->warnings.empty());
}

}  // namespace
}  // namespace jepsen::history
