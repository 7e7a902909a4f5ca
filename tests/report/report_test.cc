// The HTML report generator: nothing in a history can inject markup or script
// into its own report, the embedded data round-trips, fault periods pair up,
// and the store index lists runs.
#include "checker/report/report.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "checker/checker.h"
#include "checker/report/atomic_file.h"
#include "checker/report/faults.h"
#include "checker/report/run_report.h"
#include "checker/report/run_settings.h"
#include "checker/report/script_json.h"
#include "checker/report/store_index.h"
#include "history/jsonl.h"
#include "tests/support/history_maker.h"

namespace jepsen::checker::report {
namespace {

using history::EventType;
using history::Json;
using testing::MakeHistory;
using testing::TestNemesis;
using testing::TestOp;

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The text of <script type="application/json" id="report-data">...</script>.
std::string DataBlock(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  const size_t begin = page.find(open);
  EXPECT_NE(begin, std::string::npos);
  const size_t end = page.find("</script", begin);
  EXPECT_NE(end, std::string::npos);
  return page.substr(begin + open.size(), end - begin - open.size());
}

// Strings a hostile or merely unusual history might hold.
const std::vector<std::string> kNasty = {
    "</script><script>alert(1)</script>",
    "</SCRIPT >x",
    "<!--",
    "<img src=x onerror=alert(1)>",
    "\"quoted\" and 'single' & ampersand",
    "h\xC3\xA9llo \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80",  // héllo ✓ 日本 😀
    "line\xE2\x80\xA8separator\xE2\x80\xA9paragraph",                       // U+2028, U+2029
    "back\\slash\\u003c and {{DATA}} {{JS}}",
};

TEST(ScriptSafeJson, EscapesWhatCouldEndTheElementAndRoundTrips) {
  for (const std::string& s : kNasty) {
    const Json value = {{"s", s}, {"arr", {s, 1, nullptr}}};
    const std::string text = ScriptSafeJson(value);
    EXPECT_EQ(text.find('<'), std::string::npos) << text;
    EXPECT_EQ(text.find('>'), std::string::npos) << text;
    EXPECT_EQ(text.find('&'), std::string::npos) << text;
    EXPECT_EQ(text.find("\xE2\x80\xA8"), std::string::npos) << text;
    EXPECT_EQ(text.find("\xE2\x80\xA9"), std::string::npos) << text;
    EXPECT_EQ(Json::parse(text), value) << text;
  }
  EXPECT_EQ(ScriptSafeJson(Json("</script>")), R"("\u003c/script\u003e")");
  EXPECT_EQ(ScriptSafeJson(Json("a&b")), R"("a\u0026b")");
  EXPECT_EQ(ScriptSafeJson(Json("\xE2\x80\xA8")), R"("\u2028")");
}

TEST(ScriptSafeJson, ReplacesInvalidUtf8) {
  const std::string text = ScriptSafeJson(Json("bad \xFF\xFE bytes <"));
  const Json back = Json::parse(text);
  EXPECT_EQ(back.get<std::string>(), "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes <");
}

TEST(HtmlEscape, EscapesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(HtmlEscape("h\xC3\xA9llo"), "h\xC3\xA9llo");
}

history::History NastyHistory() {
  std::vector<TestOp> ops;
  int64_t t = 1000;
  for (size_t i = 0; i < kNasty.size(); ++i) {
    TestOp w{.process = 0,
             .f = "write",
             .value = kNasty[i],
             .call = t,
             .ret = t + 500,
             .key = kNasty[(i + 1) % kNasty.size()]};
    ops.push_back(w);
    TestOp r{.process = 1,
             .f = "read",
             .value = nullptr,
             .result = kNasty[i],
             .call = t + 100,
             .ret = t + 900,
             .key = w.key};
    ops.push_back(r);
    t += 1000;
  }
  TestOp odd{.process = 2,
             .f = "<b>f</b>",
             .value = Json{{"<k>", "</script>"}},
             .outcome = EventType::kFail,
             .call = 50,
             .ret = 60};
  ops.push_back(odd);
  Json header = {{"format", "jepsen-history/1"},
                 {"workload", "register</script>"},
                 {"seed", 7},
                 {"options", {{"note", "<script>alert('x')</script>"}}}};
  history::History h = MakeHistory(
      ops,
      {{200, "kill", Json::array({"n1</script>"})}, {2500, "start", Json::array({"n1</script>"})}},
      header);
  h.source = "evil<img src=x onerror=alert(1)>.jsonl";
  return h;
}

TEST(RenderHtml, NoHistoryContentCanInjectMarkupOrScript) {
  history::History h = NastyHistory();
  CheckResult r;
  r.checker = "linearizable";
  r.verdict = Verdict::kInvalid;
  r.summary = "not linearizable: </script><script>alert(2)</script>";
  r.explanation = kNasty[0] + "\n" + kNasty[6];
  linearizable::Failure failure;
  failure.op.invoke.index = 1;
  failure.op.f = kNasty[1];
  failure.key = kNasty[3];
  failure.state = kNasty[0];
  r.failure = failure;
  ReportInfo info;
  info.title = "title </title><script>alert(3)</script>";
  info.run = {{"bugs", {"<script>"}}};
  const std::string page = RenderHtml(h, {r}, info);

  // Exactly the template's own two script elements, opened and closed once each.
  EXPECT_EQ(Count(page, "<script"), 2u);
  EXPECT_EQ(Count(page, "</script"), 2u);
  EXPECT_EQ(Count(page, "<img"), 0u);
  EXPECT_EQ(Count(page, "<!--"), 0u);
  EXPECT_EQ(Count(page, "</title>"), 1u);
  EXPECT_NE(page.find("title &lt;/title&gt;&lt;script&gt;alert(3)&lt;/script&gt;"),
            std::string::npos);

  // The data block gives back every value exactly, Unicode included.
  const Json data = Json::parse(DataBlock(page));
  EXPECT_EQ(data["title"], info.title);
  EXPECT_EQ(data["source"], h.source);
  EXPECT_EQ(data["header"], h.header);
  EXPECT_EQ(data["checks"][0]["summary"], r.summary);
  EXPECT_EQ(data["checks"][0]["details"], DetailsJson(r));
  const Json& events = data["events"];
  ASSERT_EQ(events["count"], h.events.size());
  for (size_t i = 0; i < h.events.size(); ++i) {
    EXPECT_EQ(events["value"][i], h.events[i].value) << i;
    EXPECT_EQ(data["fs"][events["f"][i].get<int>()], h.events[i].f) << i;
    if (!h.events[i].key.is_null()) {
      EXPECT_EQ(data["keys"][events["key"][i].get<int>()], h.events[i].key);
    }
  }
  // The data block itself holds no raw markup characters.
  const std::string block = DataBlock(page);
  EXPECT_EQ(block.find('<'), std::string::npos);
  EXPECT_EQ(block.find('>'), std::string::npos);
}

history::History WithNemesis(const std::vector<TestNemesis>& nemesis);

TEST(RenderHtml, IsSelfContained) {
  history::History h = WithNemesis({{10, "kill", Json::array({"n1"})}});
  const std::string page = RenderHtml(h, {}, ReportInfo{});
  EXPECT_EQ(page.find("http://"),
            page.find("http://www.w3.org/2000/svg"));  // only the SVG namespace
  EXPECT_EQ(page.find("https://"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find(" src="), std::string::npos);
  EXPECT_EQ(page.find("@import"), std::string::npos);
  EXPECT_EQ(page.find("{{"), std::string::npos) << "a template field was left unfilled";
  EXPECT_NE(page.find("<!DOCTYPE html>"), std::string::npos);
}

TEST(ReportData, OpsCountsAndEvents) {
  std::vector<TestOp> ops = {
      {.process = 0, .f = "write", .value = 1, .call = 10, .ret = 20},
      {.process = 1, .f = "read", .result = 1, .call = 15, .ret = 30},
      {.process = 2, .f = "write", .value = 2, .outcome = EventType::kFail, .call = 40, .ret = 50},
      {.process = 3, .f = "write", .value = 3, .outcome = EventType::kInfo, .call = 60, .ret = -1},
  };
  history::History h = MakeHistory(ops, {}, {{"workload", "register"}});
  const Json data = ReportData(h, {}, ReportInfo{});
  EXPECT_EQ(data["counts"]["ops"], 4);
  EXPECT_EQ(data["counts"]["ok"], 2);
  EXPECT_EQ(data["counts"]["fail"], 1);
  EXPECT_EQ(data["counts"]["info"], 1);
  EXPECT_EQ(data["counts"]["by_f"]["write"]["fail"], 1);
  EXPECT_EQ(data["counts"]["by_f"]["read"]["ok"], 1);
  ASSERT_EQ(data["ops"].size(), 8u);
  EXPECT_EQ(data["ops"][7], -1) << "an op never completed has no completion";
  EXPECT_EQ(data["verdict"], "unknown") << "no checks ran";
  EXPECT_EQ(data["title"], h.source);
  const Json& events = data["events"];
  const size_t read = data["ops"][2].get<size_t>();  // the read's invoke
  EXPECT_EQ(events["type"][read], 0);
  EXPECT_EQ(events["process"][read], 1);
  EXPECT_EQ(data["fs"][events["f"][read].get<int>()], "read");
  // Times as differences, index and line as offsets when they follow positions.
  int64_t time = 0;
  for (size_t i = 0; i < h.events.size(); ++i) {
    time += events["time_delta"][i].get<int64_t>();
    EXPECT_EQ(time, h.events[i].time);
  }
  EXPECT_EQ(events["line_offset"], h.events[0].line);
  EXPECT_EQ(events["index_offset"], h.events[0].index);
  EXPECT_FALSE(events.contains("line"));
}

TEST(ReportData, KeepsIrregularIndicesAndEventMetadata) {
  history::HistoryBuilder builder("meta.jsonl");
  history::Event a{
      .type = EventType::kInvoke, .process = 0, .f = "read", .time = 5, .index = 10, .line = 1};
  history::Event b = a;
  b.type = EventType::kOk;
  b.time = 9;
  b.index = 20;
  b.line = 2;
  b.node = "n2";
  b.error = "<slow>";
  b.extra = {{"trace", "x"}};
  ASSERT_TRUE(builder.Add(a, true, true).ok());
  ASSERT_TRUE(builder.Add(b, true, true).ok());
  history::History h = std::move(builder).Finish();
  const Json events = ReportData(h, {}, ReportInfo{})["events"];
  EXPECT_EQ(events["index"], Json::array({10, 20}));
  EXPECT_EQ(events["more"]["1"], Json({{"node", "n2"}, {"error", "<slow>"}, {"trace", "x"}}));
  EXPECT_FALSE(events["more"].contains("0"));
}

history::History WithNemesis(const std::vector<TestNemesis>& nemesis) {
  return MakeHistory({{.process = 0, .f = "read", .call = 0, .ret = 1000}}, nemesis);
}

TEST(FaultPeriods, PairsStartsWithTheirEnds) {
  const Json n1 = Json::array({"n1"}), n2 = Json::array({"n2"});
  history::History h = WithNemesis({{100, "kill", n1},
                                    {150, "kill", n1},  // a repeat (Jepsen: invoke, then info)
                                    {200, "kill", n2},
                                    {300, "start", n2},
                                    {400, "start", n1},
                                    {500, "pause", n1},
                                    {600, "resume", nullptr},  // names no target: ends any pause
                                    {700, "partition", "halves"},
                                    {750, "bump-time", 5},
                                    {800, "heal", nullptr}});
  std::vector<FaultPeriod> p = FaultPeriods(h);
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].f, "kill");
  EXPECT_EQ(p[0].target, n1);
  EXPECT_EQ(p[0].begin, 100);
  EXPECT_EQ(p[0].end, 400);
  EXPECT_EQ(p[1].target, n2);
  EXPECT_EQ(p[1].end, 300);
  EXPECT_EQ(p[2].f, "pause");
  EXPECT_EQ(p[2].end, 600);
  EXPECT_EQ(p[3].f, "partition");
  EXPECT_EQ(p[3].end, 800);
  EXPECT_EQ(h.events[p[3].end_event].f, "heal");
  EXPECT_EQ(p[4].f, "bump-time");
  EXPECT_TRUE(p[4].instant);
  EXPECT_EQ(p[4].begin, p[4].end);
}

TEST(FaultPeriods, OpenFaultsLastToTheEndAndJepsenPartitionsUseStartStop) {
  history::History h = WithNemesis(
      {{100, "start", "majority"}, {200, "stop", nullptr}, {300, "pause", Json::array({"n3"})}});
  std::vector<FaultPeriod> p = FaultPeriods(h);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].f, "start");
  EXPECT_EQ(p[0].end, 200);
  EXPECT_EQ(p[1].f, "pause");
  EXPECT_EQ(p[1].end_event, FaultPeriod::kNone);
  EXPECT_EQ(p[1].end, 1000) << "open to the history's last time";
}

// Jepsen logs each nemesis op twice, its invocation (value nil) and its completion (value: what
// it did, often a string), both :info: one fault, not two (issue 15: 4 were shown for 2
// partitions). Our own histories' consecutive faults of one f on other targets stay apart.
TEST(FaultPeriods, AJepsenInvocationAndItsCompletionAreOneFault) {
  const Json cut = "Cut off [:n3 #[:n4 :n5 :n1], :n2 #[:n4 :n5 :n1]]";
  history::History h = WithNemesis({{100, "start", nullptr},
                                    {110, "start", cut},
                                    {200, "stop", nullptr},
                                    {210, "stop", "fully connected"},
                                    {300, "start", nullptr},
                                    {310, "start", cut},
                                    {400, "stop", nullptr},
                                    {410, "stop", "fully connected"},
                                    {500, "isolate", nullptr},
                                    {510, "isolate", nullptr},
                                    {600, "kill", Json::array({"n1"})},
                                    {610, "kill", Json::array({"n2"})}});
  std::vector<FaultPeriod> p = FaultPeriods(h);
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].f, "start");
  EXPECT_EQ(p[0].begin, 100) << "from the invocation";
  EXPECT_EQ(p[0].end, 200);
  EXPECT_EQ(p[0].target, cut) << "named by what the completion says it did";
  EXPECT_EQ(p[1].begin, 300);
  EXPECT_EQ(p[1].end, 400);
  EXPECT_EQ(p[2].f, "isolate");
  EXPECT_TRUE(p[2].instant);
  EXPECT_EQ(p[2].begin, 500);
  EXPECT_EQ(p[3].target, Json::array({"n1"}));
  EXPECT_EQ(p[4].target, Json::array({"n2"}));
}

TEST(FaultPeriods, AFaultThatFailedIsAnInstantCarryingItsError) {
  Result<history::History> h = history::ParseJsonl(
      R"({"type":"invoke","process":0,"f":"read","time":0})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"partition","value":["n1"],"time":100,)"
      R"("error":"cannot partition"})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"heal","value":"network","time":200})"
      "\n"
      R"({"type":"ok","process":0,"f":"read","time":300})"
      "\n",
      "h.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  std::vector<FaultPeriod> p = FaultPeriods(*h);
  ASSERT_EQ(p.size(), 1u) << "the heal ends nothing: the partition never began";
  EXPECT_EQ(p[0].f, "partition");
  EXPECT_TRUE(p[0].instant);
  EXPECT_EQ(p[0].error, "cannot partition");
  const Json faults = ReportData(*h, {}, ReportInfo{})["faults"];
  EXPECT_EQ(faults[0]["error"], "cannot partition");
}

// Overlapping faults of a run with its own vocabulary: each end ends only faults of its own
// kind (a partition's heal leaves the pause and the kill alone), two kinds sharing an f (a node
// pause and a client pause) are told apart by their tags, and each period carries how it is drawn.
TEST(FaultPeriods, OverlappingFaultsEndByTheirOwnKindsEnds) {
  std::string text =
      R"({"format":"jepsen-history/1","workload":"register","nemesis":"kill,pause,partition,client-pause","faults":)";
  text += R"({"kill":{"begins":["kill"],"ends":["start"],"color":"#f0a8a8","label":"killed"},)";
  text += R"("pause":{"begins":["pause"],"ends":["resume"],"color":"#f3cf8c"},)";
  text += R"("client-pause":{"begins":["pause"],"ends":["resume"],"family":"client"},)";
  text += R"("partition":{"begins":["partition"],"ends":["heal"]}}})";
  text += "\n";
  auto nemesis = [&](int64_t time, const char* f, const char* value, const char* fault) {
    text += R"({"type":"info","process":"nemesis","f":")" + std::string(f) + R"(","value":)" +
            value + (fault[0] ? R"(,"fault":")" + std::string(fault) + "\"" : std::string()) +
            R"(,"time":)" + std::to_string(time) + "}\n";
  };
  text += R"({"type":"invoke","process":0,"f":"read","time":0})"
          "\n";
  nemesis(100, "pause", R"(["n1"])", "pause");
  nemesis(150, "pause", R"(["client-2"])", "client-pause");
  nemesis(200, "kill", R"(["n1"])", "kill");
  nemesis(250, "partition", R"({"n1":["n2"],"n2":["n1"]})", "partition");
  nemesis(300, "resume", R"(["client-2"])", "client-pause");
  nemesis(400, "start", R"(["n1"])", "kill");
  nemesis(450, "heal", R"("network")", "partition");
  nemesis(500, "resume", R"(["n1"])", "pause");
  nemesis(600, "heal", "[]", "");
  text += R"({"type":"ok","process":0,"f":"read","time":700})"
          "\n";
  Result<history::History> h = history::ParseJsonl(text, "overlap.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  std::vector<FaultPeriod> p = FaultPeriods(*h);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].kind.name, "pause");
  EXPECT_EQ(p[0].end, 500) << "not ended by the partition's heal";
  EXPECT_EQ(p[1].kind.name, "client-pause");
  EXPECT_EQ(p[1].end, 300);
  EXPECT_EQ(p[2].kind.name, "kill");
  EXPECT_EQ(p[2].end, 400);
  EXPECT_EQ(p[3].kind.name, "partition");
  EXPECT_EQ(p[3].end, 450);
  const Json faults = ReportData(*h, {}, ReportInfo{})["faults"];
  EXPECT_EQ(faults[0]["kind"], "pause");
  EXPECT_EQ(faults[0]["color"], "#f3cf8c");
  EXPECT_EQ(faults[1]["family"], "client");
  EXPECT_EQ(faults[2]["label"], "killed");
  // Four faults in force at once at 250: four rows, each the lowest free at its beginning.
  EXPECT_EQ(p[0].row, 0u);
  EXPECT_EQ(p[1].row, 1u);
  EXPECT_EQ(p[2].row, 2u);
  EXPECT_EQ(p[3].row, 3u);
  EXPECT_EQ(faults[3]["row"], 3);
}

// Rows are reused once a fault has ended, and an instant in force with a period gets a row of
// its own: two faults one after the other share row 0.
TEST(FaultPeriods, RowsAreReusedAfterAFaultEnds) {
  Result<history::History> h = history::ParseJsonl(
      R"({"type":"info","process":"nemesis","f":"kill","value":["n1"],"time":100})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"partition","value":["n2"],"time":150,"error":"no"})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"start","value":["n1"],"time":200})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"kill","value":["n2"],"time":300})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"start","value":["n2"],"time":400})"
      "\n",
      "rows.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  std::vector<FaultPeriod> p = FaultPeriods(*h);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].row, 0u);
  EXPECT_TRUE(p[1].instant);
  EXPECT_EQ(p[1].row, 1u) << "the failed partition happened while the kill was in force";
  EXPECT_EQ(p[2].row, 0u) << "the first kill ended before the second began";
}

// What a disk fault recorded is carried to the report in one line, per node, leaving out the
// nodes, not the whole value) and what it did, per node, leaving out the seed and empty fields.
TEST(FaultPeriods, DiskFaultsCarryWhomTheyHitAndWhatTheyDid) {
  Result<history::History> h = history::ParseJsonl(
      R"({"format":"jepsen-history/1","workload":"register","nemesis":"power",)"
      R"("faults":{"power":{"begins":["power-off"],"ends":["power-on"]}}})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"power-off","time":100,"value":{"seed":7,"nodes":["n1","n2"],)"
      R"("lost":{"n1":{"files":2,"bytes":8192,"writes":5,"torn":[]},"n2":{"files":0,"bytes":0,"writes":0}}}})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"power-on","time":200,"value":["n1","n2"]})"
      "\n",
      "power.jsonl");
  ASSERT_TRUE(h.ok()) << h.message();
  std::vector<FaultPeriod> p = FaultPeriods(*h);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].effect,
            "lost n1: bytes 8192, files 2, writes 5; lost n2: bytes 0, files 0, writes 0");
  const Json faults = ReportData(*h, {}, ReportInfo{})["faults"];
  EXPECT_EQ(faults[0]["effect"], p[0].effect);
  Result<history::History> full = history::ParseJsonl(
      R"({"format":"jepsen-history/1","workload":"register","nemesis":"disk-full",)"
      R"("faults":{"disk-full":{"begins":["disk-full-start"],"ends":["disk-full-end"]}}})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"disk-full-start","time":1,"value":{"nodes":["n1"]}})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"disk-full-end","time":2,)"
      R"("value":{"nodes":["n1"],"done":{"n1":{"refused":4}}}})"
      "\n",
      "full.jsonl");
  ASSERT_TRUE(full.ok()) << full.message();
  EXPECT_EQ(FaultPeriods(*full).at(0).effect, "done n1: refused 4") << "what the end recorded";
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("jepsen-report-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(WriteHtml, WritesTheFileAndNamesThePathOnError) {
  TempDir dir;
  history::History h = WithNemesis({});
  const std::string path = (dir.path() / "report.html").string();
  ASSERT_TRUE(WriteHtml(path, h, {}, ReportInfo{}).ok());
  EXPECT_NE(ReadAll(path).find("id=\"report-data\""), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  Status bad = WriteHtml((dir.path() / "no/such/dir/report.html").string(), h, {}, ReportInfo{});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("no/such/dir/report.html"), std::string::npos);
}

// What decided a verdict, in order, read as a person compares runs: results.json wins over the
// header, booleans read on/off, an empty bug list "none", the duration rounded (issue 15).
TEST(DecidingSettings, NamesWhatDecidedTheVerdictInOrder) {
  const Json header = {{"workload", "leases"},
                       {"system", "refstore"},
                       {"nemesis", "kill"},
                       {"seed", 7},
                       {"options",
                        {{"fencing", true},
                         {"sync", "always"},
                         {"targets", "one"},
                         {"concurrency", 5},
                         {"rate", 0.0},
                         {"nemesis_options", {{"slow-kbit", 256}}}}}};
  const Json run = {
      {"nemesis", "kill,pause"}, {"bugs", Json::array()}, {"elapsed_s", 31.146571897}};
  std::vector<std::pair<std::string, std::string>> got;
  for (const Setting& s : DecidingSettings(header, run)) got.emplace_back(s.name, s.text);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"system", "refstore"}, {"workload", "leases"}, {"nemesis", "kill,pause (targets: one)"},
      {"fencing", "on"},      {"sync", "always"},     {"bugs", "none"},
      {"seed", "7"},          {"clients", "5"},       {"duration", "31.1 s"}};
  EXPECT_EQ(got, want);
  const Json longer = {{"elapsed_s", 185.4}, {"bugs", {"stale-lease", "lost-fsync"}}};
  std::vector<std::pair<std::string, std::string>> more;
  for (const Setting& s : DecidingSettings(Json(), longer)) more.emplace_back(s.name, s.text);
  EXPECT_EQ(more, (std::vector<std::pair<std::string, std::string>>{
                      {"bugs", "stale-lease, lost-fsync"}, {"duration", "3 min 5 s"}}));
}

TEST(WriteStoreIndex, ListsRunsNewestFirstWithEscapedFields) {
  TempDir store;
  auto run = [&](const std::string& test, const std::string& stamp, const Json& results,
                 bool report) {
    const auto dir = store.path() / test / stamp;
    std::filesystem::create_directories(dir);
    if (!results.is_null()) std::ofstream(dir / "results.json") << results.dump(2);
    if (report) std::ofstream(dir / "report.html") << "<html></html>";
  };
  run("register-kill", "20240101T100000.000",
      {{"verdict", "valid"},
       {"workload", "register"},
       {"system", "refstore"},
       {"nemesis", "kill"},
       {"seed", 11},
       {"counts", {{"ops", 10}, {"ok", 8}, {"fail", 1}, {"info", 1}}}},
      true);
  run("leases-pause", "20240102T100000.000",
      {{"verdict", "invalid"},
       {"workload", "leases<script>alert(1)</script>"},
       {"system", "refstore"},
       {"nemesis", "pause"},
       {"bugs", {"stale-lease"}}},
      true);
  run("register-none", "20240103T100000.000", nullptr, false);  // still running
  // The deciding options come from each run's history header: a column each that some run has.
  std::ofstream(store.path() / "leases-pause" / "20240102T100000.000" / "history.jsonl")
      << R"({"format":"jepsen-history/1","workload":"leases","options":{"fencing":false,"sync":"never"}})"
         "\n";
  std::filesystem::create_directory_symlink("register-kill/20240101T100000.000",
                                            store.path() / "latest");

  ASSERT_TRUE(WriteStoreIndex(store.path().string()).ok());
  const std::string page = ReadAll(store.path() / "index.html");
  EXPECT_NE(page.find("data-runs=\"3\""), std::string::npos) << "latest is a link, not a run";
  EXPECT_EQ(page.find("<script"), page.rfind("<script")) << "the filters' script, no other";
  EXPECT_NE(page.find("leases&lt;script&gt;"), std::string::npos);
  EXPECT_NE(page.find("href=\"register-kill/20240101T100000.000/report.html\""), std::string::npos);
  EXPECT_NE(page.find("stale-lease"), std::string::npos);
  EXPECT_NE(page.find("no results"), std::string::npos);
  const size_t newest = page.find("2024-01-03 10:00:00 UTC");
  const size_t oldest = page.find("2024-01-01 10:00:00 UTC");
  ASSERT_NE(newest, std::string::npos);
  ASSERT_NE(oldest, std::string::npos);
  EXPECT_LT(newest, oldest);
  EXPECT_NE(page.find("1 invalid"), std::string::npos);
  EXPECT_NE(page.find("<th>fencing</th><th>sync</th><th>bugs</th>"), std::string::npos)
      << "the options some run has, as columns";
  EXPECT_EQ(page.find("<th>reads</th>"), std::string::npos) << "no run has reads";
  EXPECT_NE(page.find("<td class=\"opt\">off</td><td class=\"opt\">never</td>"), std::string::npos);
  // Rows carry what the filters select on.
  EXPECT_NE(page.find("<tr data-verdict=\"valid\" data-workload=\"register\" "
                      "data-system=\"refstore\">"),
            std::string::npos);
  EXPECT_NE(page.find("id=\"filters\""), std::string::npos);
}

TEST(WriteRunReport, ShowsTheRunsChecksAndSettingsWithoutCheckingAgain) {
  TempDir store;
  const auto dir = store.path() / "register-kill" / "20240101T100000.000";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "history.jsonl")
      << R"({"format":"jepsen-history/1","workload":"register","seed":3})"
         "\n"
      << R"({"type":"invoke","process":0,"f":"write","key":"x","value":1,"time":10})"
         "\n"
      << R"({"type":"ok","process":0,"f":"write","key":"x","value":1,"time":20})"
         "\n";
  // A verdict the history does not deserve: the report shows what the run decided.
  const Json results = {{"verdict", "invalid"},
                        {"workload", "register"},
                        {"nemesis", "kill"},
                        {"bugs", {"stale-reads"}},
                        {"counts", {{"ops", 1}}},
                        {"checks",
                         {{{"checker", "linearizable"},
                           {"verdict", "invalid"},
                           {"summary", "planted"},
                           {"explanation", ""},
                           {"details", {{"model", "cas-register"}}}}}}};
  ASSERT_TRUE(WriteRunReport(dir.string(), results).ok());
  const Json data = Json::parse(DataBlock(ReadAll(dir / "report.html")));
  EXPECT_EQ(data["verdict"], "invalid");
  EXPECT_EQ(data["checks"][0]["summary"], "planted");
  EXPECT_EQ(data["run"]["bugs"], Json::array({"stale-reads"}));
  EXPECT_FALSE(data["run"].contains("checks"));
  EXPECT_EQ(data["title"], "register · kill · 20240101T100000.000");
  EXPECT_EQ(data["generated_by"], "jepsen-run");

  Status missing = WriteRunReport((store.path() / "nope").string(), results);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("nope/history.jsonl"), std::string::npos) << missing.message();
}

// The checks come back through their codec: a damaged one is an error that
// names results.json and the field, never a report drawn from a guess.
TEST(WriteRunReport, ADamagedCheckIsAnErrorNamingTheField) {
  TempDir store;
  const auto dir = store.path() / "register-kill" / "20240101T100000.000";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "history.jsonl")
      << R"({"type":"invoke","process":0,"f":"write","value":1,"time":10})"
         "\n"
      << R"({"type":"ok","process":0,"f":"write","value":1,"time":20})"
         "\n";
  const Json results = {{"workload", "register"},
                        {"checks",
                         {{{"checker", "linearizable"},
                           {"verdict", "invalid"},
                           {"summary", "s"},
                           {"explanation", ""},
                           {"details", {{"failure", {{"op", "the first"}}}}}}}}};
  Status s = WriteRunReport(dir.string(), results);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), dir.string() +
                             "/results.json: checks[0].details.failure.op: expected an object, "
                             "got \"the first\"");
  EXPECT_FALSE(std::filesystem::exists(dir / "report.html"));
}

// Each check's violations are drawn by the section its checker registered,
// and the page's script has a renderer for every such section.
TEST(ReportData, ChecksNameTheirCheckersReportSection) {
  history::History h = MakeHistory({{0, "write", 1, nullptr, EventType::kOk, 0, 10}});
  std::vector<CheckResult> results(3);
  results[0].checker = "linearizable";
  results[1].checker = "leases";
  results[2].checker = "run";  // no registered checker: nothing to draw
  const Json data = ReportData(h, results, {});
  EXPECT_EQ(data["checks"][0]["section"], "linearization");
  EXPECT_EQ(data["checks"][1]["section"], "cycles");
  EXPECT_EQ(data["checks"][2]["section"], "");
  const std::string script =
      ReadAll(std::string(JEPSEN_SOURCE_DIR) + "/checker/report/assets/report.js");
  for (const Checker& c : Checkers()) {
    if (c.report_section.empty()) continue;
    EXPECT_NE(script.find("    " + c.report_section + ": (check) =>"), std::string::npos)
        << c.name << "'s section " << c.report_section << " has no renderer in report.js";
  }
}

// Whole or not at all: a full disk leaves the old file and no temporary one, and says so.
TEST(WriteFileAtomically, AFullDiskLeavesTheOldFileAndNoTemporaryOne) {
  TempDir dir;
  const std::string path = (dir.path() / "results.json").string();
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "new").ok());
  EXPECT_EQ(ReadAll(path), "new");
  Status missing = WriteFileAtomically((dir.path() / "no/such/dir/results.json").string(), "x");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("no/such/dir/results.json"), std::string::npos);
  if (::geteuid() != 0) GTEST_SKIP() << "a full disk needs root (to mount a small tmpfs)";
  const std::filesystem::path small = dir.path() / "small";
  std::filesystem::create_directories(small);
  ASSERT_EQ(::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=16k"), 0) << std::strerror(errno);
  struct Unmount {
    std::string dir;
    ~Unmount() { ::umount2(dir.c_str(), MNT_DETACH); }
  } unmount{small.string()};
  const std::string full = (small / "report.html").string();
  ASSERT_TRUE(WriteFileAtomically(full, "old").ok());
  Status s = WriteFileAtomically(full, std::string(64 * 1024, 'x'));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(full + ": cannot write: No space left on device"), std::string::npos)
      << s.message();
  EXPECT_EQ(ReadAll(full), "old");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(small)) {
    names.push_back(entry.path().filename());
  }
  EXPECT_EQ(names, std::vector<std::string>{"report.html"}) << "a temporary file was left";
}

TEST(WriteStoreIndex, MissingStoreIsAnError) {
  Status s = WriteStoreIndex("/nonexistent/jepsen-store");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent/jepsen-store"), std::string::npos);
}

}  // namespace
}  // namespace jepsen::checker::report
