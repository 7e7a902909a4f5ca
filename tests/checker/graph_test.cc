#include <gtest/gtest.h>

#include <random>

#include "checker/graph/dependency_graph.h"
#include "checker/graph/explain.h"
#include "checker/graph/precedence.h"
#include "checker/graph/report.h"
#include "tests/support/history_maker.h"

namespace jepsen::checker::graph {
namespace {

using history::EventType;
using history::Json;
using testing::MakeHistory;

std::vector<uint32_t> Ops(const std::vector<Step>& steps) {
  std::vector<uint32_t> out;
  for (const Step& s : steps) out.push_back(s.op);
  return out;
}

TEST(DependencyGraph, EmptyAndAcyclicGraphsHaveNoCycle) {
  DependencyGraph g;
  EXPECT_TRUE(g.ShortestCycle().empty());
  EXPECT_TRUE(g.CyclicComponents().empty());
  g.AddEdge(0, 1, EdgeKind::kRealTime, "a");
  g.AddEdge(1, 2, EdgeKind::kRealTime, "b");
  g.AddEdge(0, 2, EdgeKind::kWr, "c");
  EXPECT_EQ(g.vertex_count(), 3u);
  EXPECT_EQ(g.edge_count(), 3u);
  EXPECT_TRUE(g.ShortestCycle().empty());
  EXPECT_TRUE(g.CyclicComponents().empty());
}

TEST(DependencyGraph, FindsATwoCycleWithItsReasons) {
  DependencyGraph g;
  g.AddEdge(7, 3, EdgeKind::kRw, "back");
  g.AddEdge(3, 7, EdgeKind::kRealTime, "forth");
  std::vector<Step> cycle = g.ShortestCycle();
  ASSERT_EQ(cycle.size(), 2u);
  // Begins at the lowest op, the earliest invoked.
  EXPECT_EQ(cycle[0].op, 3u);
  EXPECT_EQ(cycle[0].kind, EdgeKind::kRealTime);
  EXPECT_EQ(cycle[0].reason, "forth");
  EXPECT_EQ(cycle[1].op, 7u);
  EXPECT_EQ(cycle[1].kind, EdgeKind::kRw);
  EXPECT_EQ(cycle[1].reason, "back");
}

TEST(DependencyGraph, PrefersTheShortestCycle) {
  DependencyGraph g;
  // 1 -> 2 -> 3 -> 4 -> 1 and, in the same component, 3 -> 5 -> 3.
  g.AddEdge(1, 2, EdgeKind::kRealTime, "");
  g.AddEdge(2, 3, EdgeKind::kRealTime, "");
  g.AddEdge(3, 4, EdgeKind::kRealTime, "");
  g.AddEdge(4, 1, EdgeKind::kRealTime, "");
  g.AddEdge(3, 5, EdgeKind::kWw, "");
  g.AddEdge(5, 3, EdgeKind::kWw, "");
  EXPECT_EQ(Ops(g.ShortestCycle()), (std::vector<uint32_t>{3, 5}));
  EXPECT_EQ(g.CyclicComponents(), (std::vector<std::vector<uint32_t>>{{1, 2, 3, 4, 5}}));
}

TEST(DependencyGraph, SelfLoopIsACycleOfOne) {
  DependencyGraph g;
  g.AddEdge(1, 2, EdgeKind::kRealTime, "");
  g.AddEdge(2, 1, EdgeKind::kRealTime, "");
  g.AddEdge(9, 9, EdgeKind::kProcess, "self");
  EXPECT_EQ(Ops(g.ShortestCycle()), (std::vector<uint32_t>{9}));
  EXPECT_EQ(g.CyclicComponents(), (std::vector<std::vector<uint32_t>>{{1, 2}, {9}}));
}

TEST(DependencyGraph, SeparateComponentsAndTheirCycles) {
  DependencyGraph g;
  g.AddEdge(10, 11, EdgeKind::kRealTime, "");
  g.AddEdge(11, 12, EdgeKind::kRealTime, "");
  g.AddEdge(12, 10, EdgeKind::kRealTime, "");
  g.AddEdge(12, 20, EdgeKind::kRealTime, "");  // a bridge, not part of any cycle
  g.AddEdge(20, 21, EdgeKind::kRealTime, "");
  g.AddEdge(21, 20, EdgeKind::kRealTime, "");
  EXPECT_EQ(g.CyclicComponents(), (std::vector<std::vector<uint32_t>>{{10, 11, 12}, {20, 21}}));
  EXPECT_EQ(Ops(g.ShortestCycle()), (std::vector<uint32_t>{20, 21}));
}

// The BFS answer against trying every simple cycle on small random graphs.
TEST(DependencyGraph, ShortestCycleMatchesBruteForce) {
  std::mt19937 rng(17);
  for (int round = 0; round < 300; ++round) {
    const int n = 2 + static_cast<int>(rng() % 6);
    std::vector<std::vector<bool>> adj(n, std::vector<bool>(n, false));
    DependencyGraph g;
    const int edges = static_cast<int>(rng() % (n * 2));
    for (int e = 0; e < edges; ++e) {
      int a = static_cast<int>(rng() % n), b = static_cast<int>(rng() % n);
      adj[a][b] = true;
      g.AddEdge(a, b, EdgeKind::kRealTime, "");
    }
    // Brute force: shortest closed walk length via repeated squaring (n small).
    size_t best = 0;
    for (int s = 0; s < n && best != 1; ++s) {
      std::vector<bool> reach(n, false);
      reach[s] = true;
      for (int len = 1; len <= n; ++len) {
        std::vector<bool> next(n, false);
        for (int u = 0; u < n; ++u) {
          if (!reach[u]) continue;
          for (int v = 0; v < n; ++v) next[v] = next[v] || adj[u][v];
        }
        if (next[s]) {
          if (best == 0 || static_cast<size_t>(len) < best) best = len;
          break;
        }
        reach = next;
      }
    }
    std::vector<Step> cycle = g.ShortestCycle();
    ASSERT_EQ(cycle.size(), best) << "round " << round;
    for (size_t i = 0; i < cycle.size(); ++i) {
      EXPECT_TRUE(adj[cycle[i].op][cycle[(i + 1) % cycle.size()].op]) << "round " << round;
    }
  }
}

TEST(MaxCompletedBefore, MatchesBruteForceWithTies) {
  std::mt19937 rng(5);
  for (int round = 0; round < 300; ++round) {
    std::vector<TimedValue> sources, targets;
    for (int i = static_cast<int>(rng() % 8); i > 0; --i) {
      int64_t a = rng() % 10;
      TimedValue t{a, rng() % 4 == 0 ? TimedValue::kNever : a + static_cast<int64_t>(rng() % 4),
                   static_cast<int64_t>(rng() % 5)};
      sources.push_back(t);
    }
    for (int i = static_cast<int>(rng() % 8); i > 0; --i) {
      targets.push_back({static_cast<int64_t>(rng() % 14), 0, 0});
    }
    std::vector<int64_t> got = MaxCompletedBefore(sources, targets);
    for (size_t t = 0; t < targets.size(); ++t) {
      int64_t best = -1;
      for (size_t s = 0; s < sources.size(); ++s) {
        if (sources[s].complete < targets[t].invoke &&
            (best < 0 || sources[s].value > sources[best].value)) {
          best = static_cast<int64_t>(s);
        }
      }
      if (best < 0) {
        EXPECT_EQ(got[t], -1);
      } else {
        ASSERT_GE(got[t], 0);
        EXPECT_EQ(sources[got[t]].value, sources[best].value);
        EXPECT_LT(sources[got[t]].complete, targets[t].invoke);  // touching is concurrent
      }
    }
  }
}

TEST(ChooseReported, KeepsAllWhenUnderTheCapInTimeOrder) {
  std::vector<Found> found = {{0, 30}, {1, 10}, {0, 20}};
  EXPECT_EQ(ChooseReported(found, 5), (std::vector<size_t>{1, 2, 0}));
}

TEST(ChooseReported, TakesEveryKindInTurnWhenOverTheCap) {
  std::vector<Found> found;
  for (int i = 0; i < 50; ++i) found.push_back({0, i});
  found.push_back({3, 100});
  found.push_back({3, 101});
  std::vector<size_t> chosen = ChooseReported(found, 4);
  EXPECT_EQ(chosen, (std::vector<size_t>{0, 1, 50, 51}));
}

TEST(NemesisIndex, NamesFaultsInAWindow) {
  history::History h =
      MakeHistory({{0, "read", nullptr, 1, EventType::kOk, 0, 10}},
                  {{3, "kill", Json::array({"n1"})},
                   {5, "start", Json::array({"n1", "n2"})},
                   {9, "isolate", "n3"},
                   {9, "power-off", Json::parse(R"({"nodes":["n1"],"lost":{"n1":{"writes":5}}})")},
                   {9, "clock-skew", Json{{"nodes", {"n2"}}, {"rate", 4}}}});
  NemesisIndex index(h);
  EXPECT_EQ(index.Between(3, 5).size(), 2u);
  EXPECT_EQ(index.Between(4, 8).size(), 1u);
  EXPECT_EQ(index.Between(10, 20).size(), 0u);
  std::vector<uint32_t> all = index.Between(0, 10);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(NemesisText(h, h.events[all[0]]), "a kill of n1 (0.000 s)");
  EXPECT_EQ(NemesisText(h, h.events[all[1]]), "a start of n1, n2 (0.000 s)");
  EXPECT_EQ(NemesisText(h, h.events[all[2]]), "an isolate of n3 (0.000 s)");
  EXPECT_EQ(NemesisText(h, h.events[all[3]]), "a power-off of n1 (0.000 s; lost n1: writes 5)")
      << "whom it hit, and what it recorded it did";
  // A value recording more than whom the fault hit is named by its nodes.
  EXPECT_EQ(NemesisText(h, h.events[all[4]]), "a clock-skew of n2 (0.000 s; rate 4)");
}

TEST(ViolationText, RendersACycleStepByStepWithFaults) {
  history::History h = MakeHistory(
      {{0, "checkpoint", Json{{"seq", 7}}, nullptr, EventType::kOk, 1'000'000'000, 1'100'000'000},
       {3, "read", nullptr, Json{{"seq", 4}}, EventType::kOk, 1'204'000'000, 1'300'000'000}},
      {{1'150'000'000, "kill", Json::array({"n1"})}});
  Violation v;
  v.kind = "C1";
  v.title = "lost acknowledgement";
  v.key = "s";
  v.headline = "read saw 4";
  v.steps = {{0, EdgeKind::kRealTime, "acknowledged first"}, {1, EdgeKind::kRw, "saw less"}};
  v.window_from = 1'100'000'000;
  v.window_to = 1'204'000'000;
  NemesisIndex nemesis(h);
  std::string text = ViolationText(h, nemesis, v);
  EXPECT_NE(text.find("C1 lost acknowledgement, key \"s\": read saw 4; a kill of n1 (1.150 s) "
                      "happened in between\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  1. process 0 checkpoint {\"seq\":7} ok (1.000 s .. 1.100 s"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("     -> 2 (real-time): acknowledged first\n"), std::string::npos) << text;
  EXPECT_NE(text.find("     -> 1 (rw): saw less -- a cycle\n"), std::string::npos) << text;

  Json json = ToJson(Resolve(h, nemesis, v));
  EXPECT_EQ(json["kind"], "C1");
  EXPECT_EQ(json["key"], "s");
  ASSERT_EQ(json["ops"].size(), 2u);
  EXPECT_EQ(json["ops"][1]["op"], 1);
  EXPECT_EQ(json["ops"][1]["invoke"]["time"], 1'204'000'000);
  ASSERT_EQ(json["steps"].size(), 2u);
  EXPECT_EQ(json["steps"][0]["edge"], "real-time");
  EXPECT_EQ(json["steps"][0]["next"], 1);
  EXPECT_EQ(json["steps"][1]["next"], 0);
  ASSERT_EQ(json["nemesis"].size(), 1u);
  EXPECT_EQ(json["nemesis"][0]["f"], "kill");
  EXPECT_EQ(json["text"], text);
}

TEST(ViolationResult, CountsEveryViolationAndExplainsTheChosen) {
  history::History h = MakeHistory({{0, "read", nullptr, 1, EventType::kOk, 0, 10}});
  Violation v;
  v.kind = "C2";
  v.title = "phantom read";
  v.headline = "x";
  v.steps = {{0, EdgeKind::kWr, "nobody wrote it"}};
  v.cycle = false;
  CheckResult r =
      ViolationResult("checkpoints", h, {v}, {{"C1", 0}, {"C2", 3}}, Json::object(), "fine");
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(DetailsJson(r)["count"], 3);
  EXPECT_EQ(DetailsJson(r)["counts"]["C2"], 3);
  EXPECT_EQ(DetailsJson(r)["reported"], 1);
  EXPECT_EQ(DetailsJson(r)["violations"].size(), 1u);
  EXPECT_NE(r.summary.find("3 violations: C2 x3 (the first 1 explained)"), std::string::npos)
      << r.summary;
  EXPECT_NE(r.explanation.find("and 2 more violations"), std::string::npos);

  CheckResult ok = ViolationResult("checkpoints", h, {}, {{"C1", 0}}, Json::object(), "fine");
  EXPECT_EQ(ok.verdict, Verdict::kValid);
  EXPECT_EQ(ok.summary, "fine");
  EXPECT_EQ(DetailsJson(ok)["count"], 0);
}

}  // namespace
}  // namespace jepsen::checker::graph
