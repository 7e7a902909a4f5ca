// Renders reports in headless Chromium and asserts on what the page drew (it
// states that in data-* attributes on <body>): the verdict, the op bars in
// view, the violation's ops highlighted; and that a hostile history runs no
// script of its own. Screenshots are kept under the build directory:
// <build>/test-artifacts/report/*.png.
//
// Chromium is part of the test environment (scripts/bootstrap.sh installs
// it): without it this test fails, unless JEPSEN_SKIP_BROWSER=1.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "checker/report/store_index.h"
#include "history/jsonl.h"

namespace {

namespace fs = std::filesystem;
using jepsen::history::Json;

const fs::path kArtifacts = JEPSEN_ARTIFACT_DIR;

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string FindChromium() {
  if (const char* given = std::getenv("JEPSEN_CHROMIUM"); given && *given) return given;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
      fs::path p = fs::path(dir) / name;
      if (access(p.c_str(), X_OK) == 0) return p.string();
    }
  }
  return "";
}

// Runs a shell command; its exit status, with stdout into `out` when given.
int Shell(const std::string& command, std::string* out = nullptr) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    if (out != nullptr) out->append(buffer, n);
  }
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class BrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = FindChromium();
    if (chromium_.empty()) {
      const char* skip = std::getenv("JEPSEN_SKIP_BROWSER");
      if (skip != nullptr && std::string(skip) == "1") {
        GTEST_SKIP() << "chromium not found and JEPSEN_SKIP_BROWSER=1";
      }
      FAIL() << "chromium is not installed: run scripts/bootstrap.sh (it installs Debian's "
                "chromium), or set JEPSEN_SKIP_BROWSER=1 to skip the browser tests";
    }
    fs::create_directories(kArtifacts);
  }
  void TearDown() override { fs::remove_all(Profile()); }

  static fs::path Profile() { return kArtifacts / ("profile-" + std::to_string(getpid())); }

  // Chromium's flags: no sandbox (root, containers), no GPU, nothing fetched
  // in the background, a fresh profile each time.
  std::string Chromium(const std::string& extra, const std::string& url) {
    const fs::path profile = Profile();
    fs::remove_all(profile);
    return "timeout 120 " + Quote(chromium_) +
           " --headless --no-sandbox --disable-gpu --disable-background-networking"
           " --disable-component-update --disable-sync --no-first-run --disable-extensions"
           " --user-data-dir=" +
           Quote(profile.string()) + " --virtual-time-budget=5000 " + extra + " " + Quote(url) +
           " 2>>" + Quote((kArtifacts / "chromium.log").string());
  }

  // The DOM after the page's script ran, and the attributes of its <body>.
  // `window`: Chromium's --window-size, when the layout matters.
  std::map<std::string, std::string> Render(const fs::path& html, std::string* dom,
                                            const std::string& window = "",
                                            const std::string& fragment = "") {
    const std::string url = "file://" + fs::absolute(html).string() + fragment;
    const std::string size = window.empty() ? "" : " --window-size=" + window;
    dom->clear();
    EXPECT_EQ(Shell(Chromium("--dump-dom" + size, url), dom), 0) << "chromium --dump-dom failed";
    std::ofstream(html.string() + ".dom.html") << *dom;
    std::map<std::string, std::string> attrs;
    std::smatch body;
    if (!std::regex_search(*dom, body, std::regex("<body([^>]*)>"))) return attrs;
    const std::string text = body[1].str();
    const std::regex attr(R"re(([a-z-]+)="([^"]*)")re");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), attr);
         it != std::sregex_iterator(); ++it) {
      attrs[(*it)[1].str()] = (*it)[2].str();
    }
    return attrs;
  }

  void Screenshot(const fs::path& html, const fs::path& png) {
    fs::remove(png);
    const std::string url = "file://" + fs::absolute(html).string();
    EXPECT_EQ(Shell(Chromium("--screenshot=" + Quote(png.string()) +
                                 " --window-size=1400,1000 "
                                 "--hide-scrollbars",
                             url)),
              0);
    ASSERT_TRUE(fs::exists(png)) << png;
    std::ifstream in(png, std::ios::binary);
    char magic[8] = {};
    in.read(magic, 8);
    EXPECT_EQ(std::string(magic + 1, 3), "PNG");
    EXPECT_GT(fs::file_size(png), 20000u) << "a blank page compresses smaller than this";
  }

  // jepsen-check FILE --html OUT [--json JSON]; its exit code.
  int Check(const fs::path& history, const fs::path& html, Json* json = nullptr) {
    const fs::path json_path = html.string() + ".json";
    const int code =
        Shell(Quote(JEPSEN_CHECK_BIN) + " " + Quote(history.string()) + " --html " +
              Quote(html.string()) + " --json " + Quote(json_path.string()) + " >/dev/null 2>&1");
    if (json != nullptr) {
      std::ifstream in(json_path);
      *json = Json::parse(in, nullptr, false);
    }
    return code;
  }

  static size_t OpsIn(const fs::path& file) {
    auto history = jepsen::history::ReadJsonl(file.string());
    EXPECT_TRUE(history.ok());
    return history.ok() ? history->ops.size() : 0;
  }

  std::string chromium_;
};

TEST_F(BrowserTest, InvalidHistoryShowsTheViolationOnTheTimeline) {
  const fs::path history = fs::path(JEPSEN_EXAMPLES) / "register-stale-read.jsonl";
  const fs::path html = kArtifacts / "register-stale-read.html";
  Json results;
  ASSERT_EQ(Check(history, html, &results), 1) << "the example is invalid";
  // The op the checker could not linearize, as an index into the history's ops.
  const Json& failure = results["files"][0]["checks"][0]["details"]["failure"];
  const int64_t index = failure["op"]["invoke"]["index"].get<int64_t>();
  auto loaded = jepsen::history::ReadJsonl(history.string());
  ASSERT_TRUE(loaded.ok());
  int culprit = -1;
  for (size_t i = 0; i < loaded->ops.size(); ++i) {
    if (loaded->invocation(loaded->ops[i]).index == index) culprit = static_cast<int>(i);
  }
  ASSERT_GE(culprit, 0);

  std::string dom;
  auto body = Render(html, &dom);
  ASSERT_EQ(body["data-rendered"], "1") << "the page's script did not finish; see " << html;
  EXPECT_EQ(body["data-verdict"], "invalid");
  EXPECT_EQ(body["data-ops"], std::to_string(OpsIn(history)));
  EXPECT_EQ(body["data-bars-in-view"], std::to_string(OpsIn(history)))
      << "the whole history is in view at first";
  EXPECT_EQ(body["data-violations"], "1");
  EXPECT_EQ(body["data-culprit"], std::to_string(culprit));
  // The culprit and the end of the prefix are highlighted.
  const std::string highlighted = "," + body["data-highlighted"] + ",";
  EXPECT_NE(highlighted.find("," + std::to_string(culprit) + ","), std::string::npos)
      << highlighted;
  EXPECT_GE(std::count(highlighted.begin(), highlighted.end(), ','), 3) << highlighted;
  // What a person reads: the verdict, the explanation, the model state, and
  // the linearization view with the culprit marked.
  EXPECT_NE(dom.find(">invalid</span>"), std::string::npos);
  EXPECT_NE(dom.find("Longest linearizable prefix"), std::string::npos);
  EXPECT_NE(dom.find("data-op=\"" + std::to_string(culprit) + "\" class=\"culprit\""),
            std::string::npos);
  EXPECT_NE(dom.find("jump to"), std::string::npos);
  EXPECT_NE(dom.find("kill n1"), std::string::npos) << "the fault is listed";
  Screenshot(html, kArtifacts / "register-stale-read.png");
}

// Faults in force at once are drawn on rows of their own in the nemesis lane, and what a disk
// fault recorded it did is shown with it (issue 12: the report's fault bands).
TEST_F(BrowserTest, OverlappingFaultsGetRowsAndDiskFaultsShowWhatTheyDid) {
  const fs::path history = kArtifacts / "power-and-pause.jsonl";
  {
    std::ofstream out(history);
    out << R"({"format":"jepsen-history/1","workload":"register","nemesis":"power,pause",)"
        << R"("faults":{"power":{"begins":["power-off"],"ends":["power-on"],"color":"#c9a0dc"},)"
        << R"("pause":{"begins":["pause"],"ends":["resume"]}}})"
        << "\n";
    out << R"({"type":"invoke","process":0,"f":"write","value":1,"time":0})"
        << "\n";
    out << R"({"type":"ok","process":0,"f":"write","value":1,"time":1000000})"
        << "\n";
    out << R"({"type":"info","process":"nemesis","f":"pause","value":["n1"],"time":2000000})"
        << "\n";
    out << R"({"type":"info","process":"nemesis","f":"power-off","time":3000000,"value":)"
        << R"({"nodes":["n1"],"lost":{"n1":{"files":["db-wal"],"bytes":4096,"writes":3}}}})"
        << "\n";
    out << R"({"type":"info","process":"nemesis","f":"resume","value":["n1"],"time":4000000})"
        << "\n";
    out << R"({"type":"info","process":"nemesis","f":"power-on","value":["n1"],"time":5000000})"
        << "\n";
    out << R"({"type":"invoke","process":0,"f":"read","time":6000000})"
        << "\n";
    out << R"({"type":"ok","process":0,"f":"read","value":1,"time":7000000})"
        << "\n";
  }
  const fs::path html = kArtifacts / "power-and-pause.html";
  ASSERT_EQ(Check(history, html), 0);
  std::string dom;
  auto body = Render(html, &dom);
  ASSERT_EQ(body["data-rendered"], "1") << "the page's script did not finish; see " << html;
  EXPECT_EQ(body["data-nemesis-rows"], "2") << "the power-off began while the pause held";
  EXPECT_NE(dom.find("power-off n1<"), std::string::npos) << "named by its nodes, not its value";
  EXPECT_NE(dom.find("lost n1: bytes 4096, files (db-wal), writes 3"), std::string::npos)
      << "what it did is listed with it";
  Screenshot(html, kArtifacts / "power-and-pause.png");
}

// Lease violations are drawn as their checker's report section says: each
// a chain of ops with a reason per step, its ops outlined on the timeline.
TEST_F(BrowserTest, LeaseViolationsAreDrawnAsChainsOfOps) {
  const fs::path history = fs::path(JEPSEN_EXAMPLES) / "leases-overlap.jsonl";
  const fs::path html = kArtifacts / "leases-overlap.html";
  Json results;
  ASSERT_EQ(Check(history, html, &results), 1) << "the example is invalid";
  const Json& violations = results["files"][0]["checks"][0]["details"]["violations"];
  ASSERT_GE(violations.size(), 2u);
  std::string dom;
  auto body = Render(html, &dom);
  ASSERT_EQ(body["data-rendered"], "1") << "the page's script did not finish; see " << html;
  EXPECT_EQ(body["data-verdict"], "invalid");
  EXPECT_EQ(body["data-violations"], std::to_string(violations.size()));
  // The first violation is the active one: its steps' ops are outlined.
  const std::string highlighted = "," + body["data-highlighted"] + ",";
  for (const Json& step : violations[0]["steps"]) {
    EXPECT_NE(highlighted.find("," + std::to_string(step["op"].get<int>()) + ","),
              std::string::npos)
        << highlighted;
  }
  EXPECT_EQ(body["data-culprit"], "") << "no op is a linearization's culprit here";
  for (const Json& v : violations) {
    EXPECT_NE(dom.find(">" + v["title"].get<std::string>() + "<"), std::string::npos) << v["title"];
  }
  EXPECT_NE(dom.find("<ol class=\"chain\">"), std::string::npos);
  EXPECT_EQ(dom.find("<div class=\"lin\">"), std::string::npos) << "no linearization view";

  // The picture of the resource (issue 15): each holder's window exactly as the checker
  // computed it, the L1's overlap drawn over both, the fenced ops marked with their outcome.
  EXPECT_EQ(body["data-pictures"], std::to_string(violations.size())) << "one per violation";
  const Json& timeline = results["files"][0]["checks"][0]["details"]["timelines"][0];
  for (const Json& holder : timeline["holders"]) {
    for (const Json& w : holder["windows"]) {
      const std::string window = "class=\"lease-window\" data-token=\"" + holder["token"].dump() +
                                 "\" data-start=\"" + w["start"].dump() + "\" data-end=\"" +
                                 w["end"].dump() + "\"";
      EXPECT_NE(dom.find(window), std::string::npos) << window;
    }
  }
  ASSERT_EQ(timeline["overlaps"].size(), 1u);
  const std::string overlap = "class=\"lease-overlap\" data-from=\"" +
                              timeline["overlaps"][0]["from"].dump() + "\" data-to=\"" +
                              timeline["overlaps"][0]["to"].dump() + "\"";
  EXPECT_NE(dom.find(overlap), std::string::npos) << overlap;
  for (const Json& m : timeline["fenced"]) {
    const std::string mark = "class=\"fenced-" + m["f"].get<std::string>() + "\" data-op=\"" +
                             m["op"].dump() + "\" data-outcome=\"" +
                             m["outcome"].get<std::string>() + "\"";
    EXPECT_NE(dom.find(mark), std::string::npos) << mark;
  }
  // The L3's stale write (its last step) is ringed in its picture.
  ASSERT_EQ(violations[1]["kind"], "L3");
  const std::string stale = "data-op=\"" + violations[1]["steps"].back()["op"].dump() + "\"";
  const size_t l3 = dom.find("id=\"picture-1\"");
  ASSERT_NE(l3, std::string::npos);
  const size_t mark = dom.find(stale, l3);
  ASSERT_NE(mark, std::string::npos) << stale;
  EXPECT_LT(dom.find("class=\"in-violation\"", mark), dom.find("</g>", mark))
      << "ringed as the violation's own op";
  Screenshot(html, kArtifacts / "leases-overlap.png");
}

// Any lease resource can be drawn on demand, violation or not (issue 15): the page offers every
// resource the checker gave a whole timeline of; `#resource=K` picks one on load.
TEST_F(BrowserTest, AnyLeaseResourceIsDrawnOnDemand) {
  const fs::path history = fs::path(JEPSEN_EXAMPLES) / "leases-ok.jsonl";
  const fs::path html = kArtifacts / "leases-ok.html";
  Json results;
  ASSERT_EQ(Check(history, html, &results), 0) << "the example is valid";
  const Json& every = results["files"][0]["checks"][0]["details"]["resource_timelines"];
  ASSERT_EQ(every.size(), 2u) << "lock-a and lock-b";
  for (int k = 0; k < 2; ++k) {
    std::string dom;
    auto body = Render(html, &dom, "", "#resource=" + std::to_string(k));
    ASSERT_EQ(body["data-rendered"], "1") << "the page's script did not finish; see " << html;
    EXPECT_EQ(body["data-resource-picture"], std::to_string(k));
    EXPECT_NE(dom.find("id=\"resource-select\""), std::string::npos);
    const size_t picture = dom.find("id=\"resource-picture\"");
    ASSERT_NE(picture, std::string::npos);
    const Json& holders = every[k]["holders"];
    ASSERT_FALSE(holders.empty());
    for (size_t h = 0; h < std::min<size_t>(holders.size(), 12); ++h) {
      for (const Json& w : holders[h]["windows"]) {
        const std::string window = "class=\"lease-window\" data-token=\"" +
                                   holders[h]["token"].dump() + "\" data-start=\"" +
                                   w["start"].dump() + "\" data-end=\"" + w["end"].dump() + "\"";
        EXPECT_NE(dom.find(window, picture), std::string::npos) << k << ": " << window;
      }
    }
  }
}

// A lost acknowledgement (C1) is drawn as the stream's acknowledged seq over time with the
// acknowledgement that was lost and the read that missed it marked (issue 15).
TEST_F(BrowserTest, CheckpointLostAcknowledgementIsMarkedOnTheStreamsPicture) {
  const fs::path history = fs::path(JEPSEN_EXAMPLES) / "checkpoints-lost-ack.jsonl";
  const fs::path html = kArtifacts / "checkpoints-lost-ack.html";
  Json results;
  ASSERT_EQ(Check(history, html, &results), 1) << "the example is invalid";
  const Json& lost = results["files"][0]["checks"][0]["details"]["timelines"][0]["lost"];
  ASSERT_EQ(lost.size(), 1u);
  std::string dom;
  auto body = Render(html, &dom);
  ASSERT_EQ(body["data-rendered"], "1") << "the page's script did not finish; see " << html;
  EXPECT_EQ(body["data-pictures"], "1");
  const std::string acked = "class=\"ckpt-lost\" data-op=\"" + lost[0]["checkpoint"].dump() +
                            "\" data-seq=\"" + lost[0]["seq"].dump() + "\"";
  const std::string missed = "class=\"ckpt-missed\" data-op=\"" + lost[0]["read"].dump() +
                             "\" data-seq=\"" + lost[0]["read_seq"].dump() + "\"";
  EXPECT_NE(dom.find(acked), std::string::npos) << acked;
  EXPECT_NE(dom.find(missed), std::string::npos) << missed;
  EXPECT_NE(dom.find("class=\"ckpt-acked\""), std::string::npos) << "the step line";
  EXPECT_NE(dom.find(">seq 7 acknowledged<"), std::string::npos);
  Screenshot(html, kArtifacts / "checkpoints-lost-ack.png");
}

// One lane per client thread with its successive processes (thread = process mod the header's
// concurrency), and a client pause drawn on the paused client's lane only (issue 15).
TEST_F(BrowserTest, ALaneIsAClientThreadAndAClientPauseIsDrawnOnItsLane) {
  const fs::path history = kArtifacts / "client-pause.jsonl";
  {
    std::ofstream out(history);
    out << R"({"format":"jepsen-history/1","workload":"register","nemesis":"client-pause",)"
        << R"("options":{"concurrency":3},"faults":{"client-pause":{"family":"client",)"
        << R"("begins":["pause"],"ends":["resume"],"color":"#f3cf8c"}}})"
        << "\n";
    const char* lines[] = {
        R"({"type":"invoke","process":0,"f":"write","value":1,"time":0})",
        R"({"type":"invoke","process":1,"f":"write","value":2,"time":100})",
        R"({"type":"invoke","process":2,"f":"read","time":200})",
        R"({"type":"ok","process":0,"f":"write","value":1,"time":1000})",
        R"({"type":"info","process":1,"f":"write","value":2,"time":1100})",
        R"({"type":"ok","process":2,"f":"read","value":1,"time":1200})",
        R"({"type":"info","process":"nemesis","f":"pause","value":["client-1"],"fault":"client-pause","time":1300})",
        R"({"type":"invoke","process":4,"f":"read","time":1400})",
        R"({"type":"info","process":"nemesis","f":"resume","value":["client-1"],"fault":"client-pause","time":1500})",
        R"({"type":"ok","process":4,"f":"read","value":2,"time":1600})",
    };
    for (const char* line : lines) out << line << "\n";
  }
  const fs::path html = kArtifacts / "client-pause.html";
  Check(history, html);
  std::string dom;
  auto body = Render(html, &dom);
  ASSERT_EQ(body["data-rendered"], "1") << "the page's script did not finish; see " << html;
  EXPECT_EQ(body["data-lanes"], "3");
  EXPECT_EQ(body["data-lane-labels"],
            "client 0 (process 0)|client 1 (processes 1, 4)|client 2 (process 2)");
  EXPECT_EQ(body["data-fault-lanes"], "0:1") << "the pause, on client 1's lane only";
}

// The RUN block is a short table of what decided the verdict, every setting folded away, and
// nothing on the page runs off its right edge at 1280 px, a Knossos-style fault table with long
// targets included (issue 15).
TEST_F(BrowserTest, RunSettingsAreAShortTableAndNothingRunsOffAt1280Px) {
  const fs::path history = kArtifacts / "run-settings.jsonl";
  {
    std::ofstream out(history);
    out << R"({"format":"jepsen-history/1","workload":"leases","system":"etcd","nemesis":"partition",)"
        << R"("seed":42,"started_at":"2026-11-28T12:19:47.060Z","options":{"fencing":false,)"
        << R"("reads":"serializable","targets":"majority","ttl_ms":2000,"concurrency":2,)"
        << R"("nemesis_options":{"client-clock-rate":1.0,"corrupt-files":"*","disk-fsync":"layer"}}})"
        << "\n";
    const std::string cut =
        R"("Cut off [:n3 #[:n4 :n5 :n1], :n2 #[:n4 :n5 :n1], :n4 #[:n3 :n2], :n5 #[:n3 :n2], :n1 #[:n3 :n2]]")";
    out << R"({"type":"invoke","process":0,"f":"acquire","key":"r","value":{"ttl_ms":2000},"time":0})"
        << "\n";
    out << R"({"type":"info","process":"nemesis","f":"start","time":100})"
        << "\n";
    out << R"({"type":"info","process":"nemesis","f":"start","value":)" << cut << R"(,"time":200})"
        << "\n";
    out << R"({"type":"ok","process":0,"f":"acquire","key":"r","value":{"token":1},"time":1000})"
        << "\n";
    out << R"({"type":"info","process":"nemesis","f":"stop","time":2000})"
        << "\n";
    out << R"({"type":"info","process":"nemesis","f":"stop","value":"fully connected","time":2100})"
        << "\n";
  }
  const fs::path html = kArtifacts / "run-settings.html";
  Check(history, html);
  std::string dom;
  auto body = Render(html, &dom, "1280,1000");
  ASSERT_EQ(body["data-rendered"], "1") << "the page's script did not finish; see " << html;
  EXPECT_EQ(body["data-overflowing"], "0") << "something runs off the page at 1280 px";
  for (const char* row : {"<th>system</th><td class=\"mono\" title=\"etcd\">etcd</td>",
                          "<th>nemesis</th><td class=\"mono\" title=\"partition (targets: "
                          "majority)\">partition (targets: majority)</td>",
                          "<th>fencing</th><td class=\"mono\" title=\"off\">off</td>",
                          "<th>reads</th><td class=\"mono\" title=\"serializable\">",
                          "<th>seed</th><td class=\"mono\" title=\"42\">42</td>"}) {
    EXPECT_NE(dom.find(row), std::string::npos) << row;
  }
  EXPECT_NE(dom.find("<summary>all settings</summary>"), std::string::npos);
  EXPECT_NE(dom.find("Faults injected (1)"), std::string::npos) << "one partition, logged twice";
}

// The store index filters by verdict, workload and system (issue 15); the address can say which.
TEST_F(BrowserTest, StoreIndexFiltersRunsByVerdictWorkloadAndSystem) {
  const fs::path store = kArtifacts / "store";
  fs::remove_all(store);
  auto run = [&](const std::string& test, const std::string& stamp, const Json& results) {
    fs::create_directories(store / test / stamp);
    std::ofstream(store / test / stamp / "results.json") << results.dump();
  };
  run("leases-kill", "20240101T100000.000",
      {{"verdict", "invalid"}, {"workload", "leases"}, {"system", "etcd"}});
  run("leases-pause", "20240102T100000.000",
      {{"verdict", "valid"}, {"workload", "leases"}, {"system", "refstore"}});
  run("register-kill", "20240103T100000.000",
      {{"verdict", "invalid"}, {"workload", "register"}, {"system", "refstore"}});
  ASSERT_TRUE(jepsen::checker::report::WriteStoreIndex(store.string()).ok());
  const fs::path index = store / "index.html";
  std::string dom;
  EXPECT_EQ(Render(index, &dom)["data-shown"], "3");
  EXPECT_NE(dom.find("<select id=\"filter-verdict\">"), std::string::npos);
  EXPECT_EQ(Render(index, &dom, "", "#verdict=invalid")["data-shown"], "2");
  EXPECT_EQ(Render(index, &dom, "", "#verdict=invalid&system=refstore")["data-shown"], "1");
  EXPECT_EQ(Render(index, &dom, "", "#workload=leases")["data-shown"], "2");
}

TEST_F(BrowserTest, ValidHistoryShowsAllOpsAndNoViolation) {
  const fs::path history = fs::path(JEPSEN_EXAMPLES) / "register-ok.jsonl";
  const fs::path html = kArtifacts / "register-ok.html";
  ASSERT_EQ(Check(history, html), 0);
  std::string dom;
  auto body = Render(html, &dom);
  ASSERT_EQ(body["data-rendered"], "1");
  EXPECT_EQ(body["data-verdict"], "valid");
  EXPECT_EQ(body["data-bars-in-view"], std::to_string(OpsIn(history)));
  EXPECT_EQ(body["data-violations"], "0");
  EXPECT_EQ(body["data-highlighted"], "");
  EXPECT_NE(dom.find(">valid</span>"), std::string::npos);
  EXPECT_NE(dom.find("None: every check passed."), std::string::npos);
  Screenshot(html, kArtifacts / "register-ok.png");
}

// Scale: a 100,000-op history renders whole (the page states how many bars
// are in view and how long it took; no time is asserted: see bench/).
TEST_F(BrowserTest, HundredThousandOpsRender) {
  const fs::path history = kArtifacts / "large-100k.jsonl";
  constexpr int kOps = 100000;
  {
    std::ofstream out(history);
    out << R"({"format":"jepsen-history/1","workload":"register","nemesis":"kill","seed":1})"
        << "\n";
    std::vector<int> last(8, -1);  // per key: the last value written, -1 none
    for (int j = 0; j < kOps; ++j) {
      // Sequential ops (each ends before the next begins): linearizable by construction.
      const int64_t t = 1000000LL * j;
      const int key = j % 8, process = j % 10;
      if (j % 20000 == 5000)
        out << R"({"type":"info","process":"nemesis","f":"kill","value":["n1"],"time":)" << t
            << "}\n";
      if (j % 20000 == 9000)
        out << R"({"type":"info","process":"nemesis","f":"start","value":["n1"],"time":)" << t
            << "}\n";
      const bool write = j % 3 != 0, fail = j % 7 == 0;
      out << R"({"type":"invoke","process":)" << process << R"(,"f":")"
          << (write ? "write" : "read") << R"(","key":)" << key;
      if (write) out << R"(,"value":)" << j;
      out << R"(,"time":)" << t << "}\n";
      out << R"({"type":")" << (fail ? "fail" : "ok") << R"(","process":)" << process << R"(,"f":")"
          << (write ? "write" : "read") << R"(","key":)" << key << R"(,"value":)";
      if (write) {
        out << j;
        if (!fail) last[key] = j;
      } else if (fail || last[key] < 0) {
        out << "null";
      } else {
        out << last[key];
      }
      out << R"(,"time":)" << t + 400000 + (j % 13) * 30000 << "}\n";
    }
  }
  const fs::path html = kArtifacts / "large-100k.html";
  ASSERT_EQ(Check(history, html), 0);
  std::string dom;
  auto body = Render(html, &dom);
  ASSERT_EQ(body["data-rendered"], "1");
  EXPECT_EQ(body["data-ops"], std::to_string(kOps));
  EXPECT_EQ(body["data-bars-in-view"], std::to_string(kOps));
  EXPECT_EQ(body["data-lanes"], "10");
  EXPECT_FALSE(body["data-draw-ms"].empty());
  std::cout << "100,000 ops: " << fs::file_size(html) << " bytes; first draw "
            << body["data-first-draw-ms"] << " ms after navigation; " << body["data-timings"]
            << "; redraw " << body["data-draw-ms"] << " ms\n";
  Screenshot(html, kArtifacts / "large-100k.png");
}

TEST_F(BrowserTest, HostileHistoryRunsNoScriptOfItsOwn) {
  const fs::path history = kArtifacts / "hostile.jsonl";
  {
    std::ofstream out(history);
    out << R"({"format":"jepsen-history/1","workload":"register","system":"</script><script>document.body.dataset.pwned='header'</script>"})"
           "\n";
    const char* values[] = {
        R"("</script><script>document.body.dataset.pwned='value'</script>")",
        R"("<img src=x onerror=\"document.body.dataset.pwned='img'\">")",
        R"("\u2028\u2029 quotes \" ' & <!-- héllo ✓ 日本")",
    };
    int t = 1000;
    for (const char* v : values) {
      out << R"({"type":"invoke","process":0,"f":"write","key":"<b>k</b>","value":)" << v
          << R"(,"time":)" << t << "}\n";
      out << R"({"type":"ok","process":0,"f":"write","key":"<b>k</b>","value":)" << v
          << R"(,"time":)" << t + 500
          << R"(,"error":"<svg onload=\"document.body.dataset.pwned='error'\">"})"
             "\n";
      t += 1000;
    }
  }
  const fs::path html = kArtifacts / "hostile.html";
  Check(history, html);
  ASSERT_TRUE(fs::exists(html));
  std::string dom;
  auto body = Render(html, &dom);
  EXPECT_EQ(body["data-rendered"], "1") << "the page still draws";
  EXPECT_EQ(body.count("data-pwned"), 0u) << "a history's text ran as script";
  EXPECT_EQ(body["data-ops"], "3");
  EXPECT_NE(dom.find("héllo ✓ 日本"), std::string::npos) << "Unicode survives as text";
}

}  // namespace
