// Integers beyond 64 bits are any JSON value's right: read exactly, compared
// exactly, written back with their digits.
#include "history/big_integer.h"

#include <gtest/gtest.h>

#include "history/edn_reader.h"
#include "history/edn_writer.h"
#include "history/json_text.h"
#include "history/jsonl.h"

namespace jepsen::history {
namespace {

constexpr const char* k30 = "123456789012345678901234567890";
constexpr const char* k30b = "123456789012345678901234567891";

std::string Line(const std::string& value, const std::string& type = "invoke") {
  return R"({"type":")" + type + R"(","process":0,"f":"write","value":)" + value + "}\n";
}

TEST(BigInteger, JsonlKeepsThemExact) {
  Result<History> h = ParseJsonl(Line(k30) + Line(k30, "ok") + Line(k30b) + Line(k30b, "ok") +
                                     Line(std::string("[-") + k30 + ",{\"a\":" + k30 + "}]") +
                                     Line("18446744073709551615", "ok"),
                                 "big.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  ASSERT_EQ(h->events.size(), 6u);
  EXPECT_EQ(h->events[0].value, BigInteger(k30));
  EXPECT_EQ(h->events[0].value, h->events[1].value);  // the same one read twice
  EXPECT_NE(h->events[0].value, h->events[2].value);  // differ in the last digit
  EXPECT_EQ(h->events[4].value[0], BigInteger(std::string("-") + k30));
  EXPECT_EQ(h->events[4].value[1]["a"], BigInteger(k30));
  EXPECT_EQ(h->events[5].value, std::numeric_limits<uint64_t>::max());  // still 64 bits
}

TEST(BigInteger, NeverEqualToAFloatAStringOrA64BitInteger) {
  EXPECT_NE(BigInteger(k30), Json(1.2345678901234568e29));
  EXPECT_NE(BigInteger(k30), Json(k30));
  EXPECT_NE(BigInteger("18446744073709551616"), Json(std::numeric_limits<uint64_t>::max()));
  EXPECT_EQ(IntegerFromDigits("18446744073709551615"), Json(std::numeric_limits<uint64_t>::max()));
  EXPECT_EQ(IntegerFromDigits("18446744073709551616"), BigInteger("18446744073709551616"));
  EXPECT_EQ(IntegerFromDigits("-9223372036854775808"), Json(std::numeric_limits<int64_t>::min()));
  EXPECT_EQ(IntegerFromDigits("-9223372036854775809"), BigInteger("-9223372036854775809"));
}

TEST(BigInteger, JsonArraysAndKeysToo) {
  Result<History> h = ParseJsonl(std::string(R"([{"type":"invoke","process":0,"f":"read","key":)") +
                                     k30 + R"(},{"type":"ok","process":0,"f":"read","key":)" + k30 +
                                     R"(,"value":)" + k30b + "}]",
                                 "big.json");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->events[0].key, BigInteger(k30));
  EXPECT_EQ(h->events[1].value, BigInteger(k30b));
}

TEST(BigInteger, OtherNumbersSimdjsonRefusesStayErrors) {
  for (const char* bad : {"1e400", "-1e400", "1.2.3", "01"}) {
    Result<History> h = ParseJsonl(Line(bad) + Line("1"), "bad.jsonl");
    ASSERT_FALSE(h.ok()) << bad;
    EXPECT_EQ(h.message().rfind("bad.jsonl:1: malformed JSON", 0), 0u) << h.message();
  }
}

TEST(BigInteger, TimesAndIndicesBeyond64BitsAreAClearError) {
  Result<History> h = ParseJsonl(
      std::string(R"({"type":"invoke","process":0,"f":"read","time":)") + k30 + "}\n", "t.jsonl");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message(),
            std::string("t.jsonl:1: field 'time' is ") + k30 + ", beyond 64 bits (nanoseconds)");
  h = ParseJsonl(R"({"type":"invoke","process":0,"f":"read","index":9223372036854775808})", "i");
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.message(), "i:1: field 'index' is 9223372036854775808, beyond 64 bits");
}

TEST(BigInteger, EdnKeepsThemExact) {
  Result<History> h = ParseEdn(std::string("{:type :invoke, :f :write, :process 0, :value ") + k30 +
                                   "N, :key " + k30b + "}\n",
                               "big.edn");
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(h->events[0].value, BigInteger(k30));
  EXPECT_EQ(h->events[0].key, BigInteger(k30b));
}

TEST(BigInteger, OutputShowsTheDigits) {
  const Json value = {{"a", BigInteger(k30)},
                      {"b", Json::array({1, BigInteger("-" + std::string(k30))})}};
  EXPECT_EQ(DumpJson(value), std::string(R"({"a":)") + k30 + R"(,"b":[1,-)" + k30 + "]}");
  EXPECT_EQ(DumpJson(value, 2),
            std::string("{\n  \"a\": ") + k30 + ",\n  \"b\": [\n    1,\n    -" + k30 + "\n  ]\n}");
  // Pretty printing matches Json::dump's layout.
  const Json plain = {{"a", 1}, {"b", Json::array({1, Json::object(), Json::array()})}};
  Json with = plain;
  with["c"] = BigInteger(k30);
  Json expect = plain;
  expect["c"] = 7;
  std::string want = expect.dump(2);
  want.replace(want.find("7\n}"), 1, k30);
  EXPECT_EQ(DumpJson(with, 2), want);
  EXPECT_EQ(ToEdn(value), std::string("{:a ") + k30 + "N, :b [1 -" + k30 + "N]}");
}

TEST(BigInteger, WrittenHistoriesReadBackTheSame) {
  Event e;
  e.f = "write";
  e.value = BigInteger(k30);
  e.key = BigInteger(k30b);
  Result<History> jsonl = ParseJsonl(ToJsonLine(e), "w.jsonl");
  ASSERT_TRUE(jsonl.ok()) << jsonl.message();
  EXPECT_EQ(jsonl->events[0].value, e.value);
  EXPECT_EQ(jsonl->events[0].key, e.key);
  Result<History> edn = ParseEdn(ToEdnLine(e), "w.edn");
  ASSERT_TRUE(edn.ok()) << edn.message();
  EXPECT_EQ(edn->events[0].value, e.value);
  EXPECT_EQ(edn->events[0].key, e.key);
}

}  // namespace
}  // namespace jepsen::history
