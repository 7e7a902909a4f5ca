#include "history/edn_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "history/edn.h"
#include "history/edn_reader.h"
#include "history/jsonl.h"

namespace jepsen::history {
namespace {

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "/" + name + "." + std::to_string(::getpid());
}

TEST(EdnWriter, Values) {
  EXPECT_EQ(ToEdn(nullptr), "nil");
  EXPECT_EQ(ToEdn(true), "true");
  EXPECT_EQ(ToEdn(-3), "-3");
  EXPECT_EQ(ToEdn(Json(18446744073709551615ull)), "18446744073709551615");
  EXPECT_EQ(ToEdn(1.5), "1.5");
  EXPECT_EQ(ToEdn(2.0), "2.0");
  EXPECT_EQ(ToEdn(std::nan("")), "##NaN");
  EXPECT_EQ(ToEdn(-HUGE_VAL), "##-Inf");
  EXPECT_EQ(ToEdn("a\"b\\c\nd\x01"), R"("a\"b\\c\nd\u0001")");
  EXPECT_EQ(ToEdn(Json::parse("[1,[2,null],\"x\"]")), R"([1 [2 nil] "x"])");
  EXPECT_EQ(ToEdn(Json::parse(R"({"token":1,"0":2,"a b":3,"ns/k":4})")),
            R"({"0" 2, "a b" 3, :ns/k 4, :token 1})");
  EXPECT_EQ(ToEdn(Json::object()), "{}");
}

TEST(EdnWriter, KeywordNames) {
  for (const char* name : {"read", "ttl_ms", "timed-out", "ns/k", "a.b/c", "x?", "-", "nil"}) {
    EXPECT_TRUE(IsEdnKeywordName(name)) << name;
  }
  for (const char* name :
       {"", "0", "1abc", "-1", "+2", "a b", "/x", "x/", "a/b/c", "a:b", "a#", "\"", "é"}) {
    EXPECT_FALSE(IsEdnKeywordName(name)) << name;
  }
}

TEST(EdnWriter, OpLines) {
  Event e;
  e.type = EventType::kInvoke;
  e.process = 0;
  e.f = "read";
  e.time = 123;
  e.index = 0;
  EXPECT_EQ(ToEdnLine(e),
            "{:type :invoke, :f :read, :value nil, :process 0, :time 123, :index 0}\n");
  e.type = EventType::kInfo;
  e.process = kNemesis;
  e.f = "kill";
  e.key = "lock-a";
  e.value = Json::parse(R"(["n1"])");
  e.node = "n1";
  e.error = "timed out";
  e.extra = {{"trace", "t"}, {"bad key", 1}};
  EXPECT_EQ(ToEdnLine(e),
            "{:type :info, :f :kill, :value [\"n1\"], :process :nemesis, :time 123, :index 0, "
            ":key \"lock-a\", :node \"n1\", :error \"timed out\", \"bad key\" 1, :trace \"t\"}\n");
  e.f = "odd name";
  EXPECT_NE(ToEdnLine(e).find(":f \"odd name\""), std::string::npos);
}

TEST(EdnWriter, OutputReadsBackAsEdn) {
  Json value = Json::parse(
      R"({"s":"x\n\"y\"","n":[1,-2,3.25,null,true],"o":{"0":1,"k":{"deep":[]}},"u":"\u00e9"})");
  const std::string text = ToEdn(value);  // the reader keeps a view of it
  EdnReader reader(text);
  auto form = reader.Next();
  ASSERT_TRUE(form.ok()) << form.message();
  EXPECT_EQ((*form)->value, value);
}

TEST(EdnWriter, JsonHistoryRoundTripsThroughEdn) {
  const char* jsonl =
      R"({"format":"jepsen-history/1","workload":"leases"}
{"type":"invoke","process":0,"f":"acquire","key":"lock-a","value":{"ttl_ms":2000},"time":1000}
{"type":"ok","process":0,"f":"acquire","key":"lock-a","value":{"token":1},"time":90000}
{"type":"info","process":"nemesis","f":"kill","value":["n1"],"time":120000}
{"type":"invoke","process":1,"f":"cas","key":7,"value":[1,2],"time":130000,"node":"n2"}
{"type":"fail","process":1,"f":"cas","key":7,"value":[1,2],"time":150000,"error":"stale token"}
{"type":"invoke","process":2,"f":"write","value":"a \"quoted\" string","time":160000,"trace":{"id":"9"}}
)";
  Result<History> original = ParseJsonl(jsonl, "orig.jsonl");
  ASSERT_TRUE(original.ok()) << original.message();
  std::string path = TempPath("roundtrip.edn");
  ASSERT_TRUE(WriteEdn(*original, path).ok());
  Result<History> back = ReadEdn(path);
  ASSERT_TRUE(back.ok()) << back.message();
  EXPECT_TRUE(back->warnings.empty());
  ASSERT_EQ(back->events.size(), original->events.size());
  for (size_t i = 0; i < back->events.size(); ++i) {
    const Event& a = original->events[i];
    const Event& b = back->events[i];
    EXPECT_EQ(a.type, b.type) << i;
    EXPECT_EQ(a.process, b.process) << i;
    EXPECT_EQ(a.f, b.f) << i;
    EXPECT_EQ(a.key, b.key) << i;
    EXPECT_EQ(a.value, b.value) << i;
    EXPECT_EQ(a.time, b.time) << i;
    EXPECT_EQ(a.index, b.index) << i;
    EXPECT_EQ(a.node, b.node) << i;
    EXPECT_EQ(a.error, b.error) << i;
    EXPECT_EQ(a.extra, b.extra) << i;
    EXPECT_EQ(b.line, static_cast<int64_t>(i) + 2) << i;  // line 1 is the header comment
  }
  ASSERT_EQ(back->ops.size(), original->ops.size());
  EXPECT_EQ(back->ops[1].outcome, EventType::kFail);
  std::ifstream in(path);
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first.rfind("; jepsen-history header: {", 0), 0u) << first;
  std::remove(path.c_str());
}

TEST(EdnWriter, UnwritablePathIsAClearError) {
  Status s = WriteEdn(History{}, "/nonexistent/dir/h.edn");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent/dir/h.edn: cannot create"), std::string::npos);
}

}  // namespace
}  // namespace jepsen::history
