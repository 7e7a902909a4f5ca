#include "history/edn.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "history/big_integer.h"

namespace jepsen::history {
namespace {

// The one form in `text`, which must read cleanly.
EdnForm One(std::string_view text) {
  EdnReader reader(text, {.source = "t.edn"});
  Result<std::optional<EdnForm>> form = reader.Next();
  EXPECT_TRUE(form.ok()) << form.message();
  if (!form.ok() || !form->has_value()) return EdnForm{};
  Result<std::optional<EdnForm>> rest = reader.Next();
  EXPECT_TRUE(rest.ok() && !rest->has_value()) << "more than one form in " << text;
  return std::move(**form);
}

Json Value(std::string_view text) { return One(text).value; }

// The error reading `text` gives.
std::string ErrorOf(std::string_view text, EdnOptions options = {.source = "t.edn"}) {
  EdnReader reader(text, options);
  while (true) {
    Result<std::optional<EdnForm>> form = reader.Next();
    if (!form.ok()) return form.message();
    if (!form->has_value()) return "(no error)";
  }
}

TEST(Edn, Scalars) {
  EXPECT_EQ(Value("nil"), nullptr);
  EXPECT_EQ(Value("true"), true);
  EXPECT_EQ(Value("false"), false);
  EXPECT_EQ(Value("42"), 42);
  EXPECT_EQ(Value("-7"), -7);
  EXPECT_EQ(Value("+7"), 7);
  EXPECT_EQ(Value("0"), 0);
  EXPECT_EQ(Value("123N"), 123);
  EXPECT_EQ(Value("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Value("18446744073709551615N"), std::numeric_limits<uint64_t>::max());
  // Beyond 64 bits: exact (a big integer), never a double.
  EXPECT_EQ(Value("100000000000000000000000N"), BigInteger("100000000000000000000000"));
  EXPECT_EQ(Value("-100000000000000000000000"), BigInteger("-100000000000000000000000"));
  EXPECT_NE(Value("100000000000000000000000"), Value("100000000000000000000001"));
  EXPECT_DOUBLE_EQ(Value("1.5").get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(Value("-1.5e3").get<double>(), -1500);
  EXPECT_DOUBLE_EQ(Value("2E-2").get<double>(), 0.02);
  EXPECT_DOUBLE_EQ(Value("1.5M").get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(Value("3M").get<double>(), 3);
  EXPECT_DOUBLE_EQ(Value("1/2").get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(Value("-3/4").get<double>(), -0.75);
  EXPECT_TRUE(std::isinf(Value("##Inf").get<double>()));
  EXPECT_TRUE(std::isnan(Value("##NaN").get<double>()));
  EXPECT_EQ(One("1.0").kind, EdnKind::kFloat);
  EXPECT_EQ(One("1").kind, EdnKind::kInteger);
  EXPECT_EQ(One("1/3").kind, EdnKind::kFloat);
}

TEST(Edn, StringsAndEscapes) {
  EXPECT_EQ(Value(R"("a\nb\tc\"d\\e")"), "a\nb\tc\"d\\e");
  EXPECT_EQ(Value(R"("\u00e9\u20ac")"), "\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(Value(R"("\ud83d\ude00")"), "\xF0\x9F\x98\x80");  // a UTF-16 pair
  EXPECT_EQ(Value("\"two\nlines\""), "two\nlines");
  EXPECT_EQ(One(R"("x")").kind, EdnKind::kString);
}

TEST(Edn, Characters) {
  EXPECT_EQ(Value(R"(\a)"), "a");
  EXPECT_EQ(Value(R"(\newline)"), "\n");
  EXPECT_EQ(Value(R"(\space)"), " ");
  EXPECT_EQ(Value(R"(\tab)"), "\t");
  EXPECT_EQ(Value(R"(\u00e9)"), "\xC3\xA9");
  EXPECT_EQ(Value(R"([\( \) \\])"), Json::parse(R"x(["(", ")", "\\"])x"));
  EXPECT_EQ(One(R"(\a)").kind, EdnKind::kChar);
}

TEST(Edn, KeywordsAndSymbols) {
  EXPECT_EQ(Value(":foo"), "foo");
  EXPECT_EQ(Value(":foo/bar"), "foo/bar");
  EXPECT_EQ(Value(":timed-out"), "timed-out");
  EXPECT_EQ(Value(":jepsen.history/op"), "jepsen.history/op");
  EXPECT_EQ(One(":foo").kind, EdnKind::kKeyword);
  EXPECT_EQ(Value("foo.bar/baz"), "foo.bar/baz");
  EXPECT_EQ(Value("-"), "-");
  EXPECT_EQ(Value("/"), "/");
  EXPECT_EQ(One("sym?").kind, EdnKind::kSymbol);
}

TEST(Edn, Collections) {
  EXPECT_EQ(Value("[1 2 [3]]"), Json::parse("[1,2,[3]]"));
  EXPECT_EQ(Value("(1 :a \"b\")"), Json::parse(R"([1,"a","b"])"));
  EXPECT_EQ(Value("#{1 2}"), Json::parse("[1,2]"));
  EXPECT_EQ(One("#{1 2}").kind, EdnKind::kSet);
  EXPECT_EQ(One("(1)").kind, EdnKind::kList);
  EXPECT_EQ(Value("[]"), Json::array());
  EXPECT_EQ(Value("{}"), Json::object());
  EXPECT_EQ(Value("[1,2,,3]"), Json::parse("[1,2,3]"));  // commas are whitespace
}

TEST(Edn, MapKeys) {
  // Strings as they are, keywords without the colon, others as compact EDN text.
  EXPECT_EQ(Value(R"({"s" 1, :k 2, :ns/k 3, 0 4, nil 5, [1   2] 6, sym 7})"),
            Json::parse(R"({"s":1,"k":2,"ns/k":3,"0":4,"nil":5,"[1 2]":6,"sym":7})"));
  EXPECT_EQ(Value("{0 100, 1 0}"), Json::parse(R"({"0":100,"1":0})"));
  EXPECT_EQ(Value("{:a {:b [1 {:c nil}]}}"), Json::parse(R"({"a":{"b":[1,{"c":null}]}})"));
}

TEST(Edn, MapEntriesTellHowValuesWereWritten) {
  EdnForm form = One(R"({:process :nemesis, :p2 "nemesis", :v [1 2], :e :not-held, :n nil})");
  ASSERT_EQ(form.kind, EdnKind::kMap);
  ASSERT_EQ(form.entries.size(), 5u);
  EXPECT_EQ(form.entries[0].key, "process");  // source order
  EXPECT_EQ(form.entry("process")->kind, EdnKind::kKeyword);
  EXPECT_EQ(form.entry("p2")->kind, EdnKind::kString);
  EXPECT_EQ(form.entry("v")->kind, EdnKind::kVector);
  EXPECT_EQ(form.entry("v")->text, "[1 2]");
  EXPECT_EQ(form.entry("e")->text, ":not-held");
  EXPECT_EQ(form.entry("n")->kind, EdnKind::kNil);
  EXPECT_EQ(form.entry("missing"), nullptr);
  EXPECT_EQ(form.value["process"], form.value["p2"]);  // what JSON alone cannot tell apart
}

TEST(Edn, Tags) {
  EXPECT_EQ(Value(R"(#inst "2017-01-01T00:00:00.000-00:00")"), "2017-01-01T00:00:00.000-00:00");
  EXPECT_EQ(Value(R"(#uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6")"),
            "f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
  EdnForm op = One("#jepsen.history.Op{:index 0, :type :invoke, :process 0, :f :read}");
  EXPECT_EQ(op.tag, "jepsen.history.Op");
  EXPECT_EQ(op.kind, EdnKind::kMap);
  EXPECT_EQ(op.value["f"], "read");
  ASSERT_NE(op.entry("type"), nullptr);
  EXPECT_EQ(op.entry("type")->kind, EdnKind::kKeyword);
  EXPECT_EQ(Value("#my/tag [1 #other 2]"), Json::parse("[1,2]"));
  EXPECT_EQ(One("#a #b 1").tag, "a");  // the outermost
  // A tagged entry's text includes its tag.
  EXPECT_EQ(One(R"({:t #inst "x"})").entry("t")->text, R"(#inst "x")");
}

TEST(Edn, DiscardAndComments) {
  EXPECT_EQ(Value("[1 #_ 2 3]"), Json::parse("[1,3]"));
  EXPECT_EQ(Value("[1 #_ #_ 2 3 4]"), Json::parse("[1,4]"));
  EXPECT_EQ(Value("{:a 1 #_ :b #_ 2}"), Json::parse(R"({"a":1})"));
  EXPECT_EQ(Value("; comment\n[1 ; two\n 2]  ; end"), Json::parse("[1,2]"));
  EXPECT_EQ(Value("#_ {:skipped true} 5"), 5);
}

TEST(Edn, StreamsTopLevelForms) {
  EdnReader reader("{:a 1}\n\n{:b\n 2}\n7", {.source = "s"});
  std::vector<int64_t> lines;
  std::vector<Json> values;
  while (true) {
    auto form = reader.Next();
    ASSERT_TRUE(form.ok()) << form.message();
    if (!form->has_value()) break;
    lines.push_back((*form)->line);
    values.push_back((*form)->value);
  }
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 3, 5}));
  EXPECT_EQ(values[1], Json::parse(R"({"b":2})"));
}

TEST(Edn, UnwrapsATopLevelVectorOrList) {
  for (std::string_view text : {"[{:a 1}\n {:a 2}]", "({:a 1}\n {:a 2})", "{:a 1}\n{:a 2}"}) {
    EdnReader reader(text, {.source = "u", .unwrap_top_level = true});
    auto first = reader.Next();
    auto second = reader.Next();
    auto end = reader.Next();
    ASSERT_TRUE(first.ok() && second.ok() && end.ok()) << text;
    ASSERT_TRUE(first->has_value() && second->has_value()) << text;
    EXPECT_EQ((*second)->value["a"], 2) << text;
    EXPECT_EQ((*second)->line, 2) << text;
    EXPECT_FALSE(end->has_value()) << text;
  }
  // Nested vectors stay whole.
  EdnReader reader("[[1 2] [3]]", {.unwrap_top_level = true});
  auto nested = reader.Next();
  ASSERT_TRUE(nested.ok() && nested->has_value());
  EXPECT_EQ((*nested)->value, Json::parse("[1,2]"));
}

TEST(Edn, OffsetIsJustPastTheForm) {
  EdnReader reader("[1 2]\t:timeout", {});
  ASSERT_TRUE(reader.Next().ok());
  EXPECT_EQ(reader.offset(), 5u);
}

TEST(Edn, FirstLineOption) {
  EXPECT_EQ(ErrorOf("\n\"open", {.source = "f", .first_line = 40}),
            "f:41: string opened at line 41 is never closed");
}

struct Bad {
  const char* text;
  const char* message;  // the whole message
};

class EdnErrors : public ::testing::TestWithParam<Bad> {};

TEST_P(EdnErrors, NameTheLineAndWhatWasWrong) {
  EXPECT_EQ(ErrorOf(GetParam().text), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, EdnErrors,
    ::testing::Values(
        Bad{"[1 2)", "t.edn:1: expected ']' to close the '[' opened at line 1, found ')'"},
        Bad{"\n\n]", "t.edn:3: unexpected ']' with nothing open"},
        Bad{"{:a 1\n :b}", "t.edn:2: the map opened at line 1 ends with a key that has no value"},
        Bad{"{:a 1 :a 2}", "t.edn:1: key 'a' appears twice in the map opened at line 1"},
        Bad{"[1 2", "t.edn:1: end of input inside the '[' opened at line 1 (no closing ']')"},
        Bad{"{:a\n\"x", "t.edn:2: string opened at line 2 is never closed"},
        Bad{R"("\q")", "t.edn:1: unknown escape '\\q' in a string"},
        Bad{R"("\u12")", "t.edn:1: '\\u' in a string must be followed by 4 hex digits"},
        Bad{R"("\ud800")", "t.edn:1: '\\u' escape in a string is half of a UTF-16 pair"},
        Bad{R"(\foo)", "t.edn:1: unknown character '\\foo'"},
        Bad{"01", "t.edn:1: invalid number '01' (leading zero)"},
        Bad{"1/0", "t.edn:1: invalid number '1/0' (zero denominator)"},
        Bad{"1.2.3", "t.edn:1: invalid number '1.2.3'"},
        Bad{"12abc", "t.edn:1: invalid number '12abc'"},
        Bad{"::foo", "t.edn:1: invalid keyword '::foo'"}, Bad{":", "t.edn:1: invalid keyword ':'"},
        Bad{"@x", "t.edn:1: invalid symbol '@x'"},
        Bad{"#inst 5", "t.edn:1: #inst must be followed by a string, found integer"},
        Bad{"#\"re\"", "t.edn:1: invalid '#' dispatch '#'"},
        Bad{"##Foo", "t.edn:1: unknown symbolic value '##Foo'"},
        Bad{"[#_]", "t.edn:1: '#_' at line 1 must be followed by a form, found ']'"},
        Bad{"[1 #_", "t.edn:1: end of input after '#_', which must be followed by a form"},
        Bad{"(#foo)", "t.edn:1: '#foo' at line 1 must be followed by a form, found ')'"}));

TEST(Edn, NulBytesAreRefusedNotSkipped) {
  using namespace std::string_literals;
  // ...and named escaped, as every control character in a message.
  EXPECT_EQ(ErrorOf("[a\0b]"s), "t.edn:1: invalid symbol 'a\\u0000b'");
  EXPECT_EQ(ErrorOf("[1 \0]"s), "t.edn:1: invalid symbol '\\u0000'");
}

TEST(Edn, CutShortIsReportedWithTheFormsLine) {
  EdnReader reader("{:a 1}\n{:b [1 2", {.source = "c"});
  ASSERT_TRUE(reader.Next().ok());
  auto form = reader.Next();
  ASSERT_FALSE(form.ok());
  EXPECT_TRUE(reader.cut_short());
  EXPECT_EQ(reader.form_line(), 2);
  // The error sticks.
  EXPECT_EQ(reader.Next().message(), form.message());

  EdnReader bad("{:a 1 :a 2}", {});
  EXPECT_FALSE(bad.Next().ok());
  EXPECT_FALSE(bad.cut_short());

  // An unwrapped vector missing only its ']': cut short where the text ends.
  EdnReader open("[{:a 1}\n {:a 2}\n", {.source = "o", .unwrap_top_level = true});
  ASSERT_TRUE(open.Next().ok());
  ASSERT_TRUE(open.Next().ok());
  auto end = open.Next();
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.message(),
            "o:3: end of input before the ']' closing the top-level sequence opened at line 1");
  EXPECT_TRUE(open.cut_short());
  EXPECT_EQ(open.form_line(), 3);
}

TEST(Edn, DeepNestingIsAnErrorNotAStackOverflow) {
  for (char open : {'[', '(', '{'}) {
    std::string text(200000, open);
    std::string message = ErrorOf(text);
    EXPECT_EQ(message, "t.edn:1: nesting deeper than 1000 levels") << open;
  }
  std::string sets;
  for (int i = 0; i < 100000; ++i) sets += "#{";
  EXPECT_EQ(ErrorOf(sets), "t.edn:1: nesting deeper than 1000 levels");
  std::string tags;
  for (int i = 0; i < 100000; ++i) tags += "#t ";
  EXPECT_EQ(ErrorOf(tags), "t.edn:1: nesting deeper than 1000 levels");
  // Balanced but too deep is refused too; just within the limit is fine.
  EXPECT_EQ(ErrorOf(std::string(200000, '[') + std::string(200000, ']')),
            "t.edn:1: nesting deeper than 1000 levels");
  EXPECT_EQ(ErrorOf(std::string(1000, '[') + std::string(1000, ']')), "(no error)");
  EXPECT_EQ(ErrorOf("[[[1]]]", {.max_depth = 2}), "<edn>:1: nesting deeper than 2 levels");
}

TEST(Edn, CompactText) {
  EXPECT_EQ(CompactEdnText("  [:a\n   1  ; note\n  \"x  y\"]  "), R"([:a 1 "x  y"])");
  EXPECT_EQ(CompactEdnText("[ :append 4 2 ]"), "[:append 4 2]");
  EXPECT_EQ(CompactEdnText("{:a 1, :b 2}"), "{:a 1, :b 2}");
  EXPECT_EQ(CompactEdnText(R"([\space  \a])"), R"([\space \a])");
  EXPECT_EQ(CompactEdnText(R"("a\"  b")"), R"("a\"  b")");
}

TEST(Edn, KindNames) {
  EXPECT_EQ(ToString(EdnKind::kKeyword), "keyword");
  EXPECT_EQ(ToString(EdnKind::kMap), "map");
}

}  // namespace
}  // namespace jepsen::history
