// Every reduction in search.cc must keep the verdict: random small histories
// are checked by the real search and by a brute-force enumeration of
// linearizations that applies none of them (only the definition: failed ops
// did not happen, indeterminate ones may or may not have).
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "checker/linearizable/linearizable.h"
#include "tests/support/history_maker.h"

namespace jepsen::checker::linearizable {
namespace {

using history::EventType;
using testing::TestOp;

// The definition, searched exhaustively.
bool BruteForce(const history::History& h, const std::string& model_name) {
  auto factory = FindModel(model_name, ModelOptions{});
  std::unique_ptr<Model> model = (*factory)();
  std::vector<const history::Op*> ops;
  for (const history::Op& op : h.ops) {
    if (op.outcome == EventType::kFail) continue;
    EXPECT_TRUE(model->Add(h, op).ok());
    ops.push_back(&op);
  }
  const size_t n = ops.size();
  std::vector<bool> done(n, false);
  std::function<bool(Model::State)> go = [&](Model::State state) {
    bool all_required = true;
    for (size_t i = 0; i < n; ++i) {
      if (!done[i] && ops[i]->outcome == EventType::kOk) all_required = false;
    }
    if (all_required) return true;
    for (size_t i = 0; i < n; ++i) {
      if (done[i]) continue;
      // i may go next unless some pending op completed before i was invoked.
      bool blocked = false;
      for (size_t j = 0; j < n && !blocked; ++j) {
        blocked = !done[j] && ops[j]->outcome == EventType::kOk &&
                  h.completion_time(*ops[j]) < h.invocation(*ops[i]).time;
      }
      if (blocked) continue;
      std::optional<Model::State> next = model->Step(state, static_cast<uint32_t>(i));
      if (!next) continue;
      done[i] = true;
      bool ok = go(*next);
      done[i] = false;
      if (ok) return true;
    }
    return false;
  };
  return go(model->Initial());
}

using Gen = std::function<TestOp(std::mt19937&)>;

Json Pick(std::mt19937& rng, const std::vector<Json>& choices) {
  return choices[std::uniform_int_distribution<size_t>(0, choices.size() - 1)(rng)];
}

std::vector<TestOp> RandomHistory(std::mt19937& rng, const Gen& gen, int n_ops,
                                  int info_in_20 = 3) {
  std::vector<TestOp> ops;
  int64_t next_process = 0;
  std::vector<std::pair<int64_t, int64_t>> threads(3);  // (process, free from)
  for (auto& t : threads) t = {next_process++, 0};
  std::uniform_int_distribution<int> thread(0, 2), gap(1, 3), length(0, 6), outcome(0, 19);
  for (int i = 0; i < n_ops; ++i) {
    auto& [process, free] = threads[thread(rng)];
    TestOp op = gen(rng);
    op.process = process;
    op.call = free + gap(rng);
    op.ret = op.call + length(rng);
    int o = outcome(rng);
    if (o < info_in_20) {
      op.outcome = EventType::kInfo;
      op.result = nullptr;
      if (o == 0) op.ret = -1;   // never completed
      process = next_process++;  // a crashed process never returns
    } else if (o < info_in_20 + 2) {
      op.outcome = EventType::kFail;
      op.result = nullptr;
    }
    free = op.ret < 0 ? op.call : op.ret;
    ops.push_back(op);
  }
  return ops;
}

void CrossCheck(const std::string& model, const Gen& gen, int info_in_20 = 3) {
  std::mt19937 rng(12345);
  int valid = 0, invalid = 0;
  for (int round = 0; round < 3000; ++round) {
    history::History h = testing::MakeHistory(RandomHistory(rng, gen, 3 + round % 6, info_in_20));
    Options options;
    options.model = model;
    options.threads = 1;
    Result<CheckResult> r = Check(h, options);
    ASSERT_TRUE(r.ok()) << r.message();
    bool expected = BruteForce(h, model);
    ASSERT_EQ(r->verdict == Verdict::kValid, expected)
        << model << " round " << round << ": search says " << ToString(r->verdict);
    (expected ? valid : invalid)++;
  }
  // Both verdicts must be well represented, or the comparison proves little.
  EXPECT_GT(valid, 300) << model;
  EXPECT_GT(invalid, 300) << model;
}

const std::vector<Json> kValues = {0, 1, 2};
const std::vector<Json> kReads = {nullptr, 0, 1, 2};

TEST(SearchCrossCheck, CasRegister) {
  CrossCheck("cas-register", [](std::mt19937& rng) {
    switch (rng() % 3) {
      case 0:
        return TestOp{0, "write", Pick(rng, kValues)};
      case 1:
        return TestOp{0, "cas", Json::array({Pick(rng, kReads), Pick(rng, kValues)})};
      default:
        return TestOp{0, "read", nullptr, Pick(rng, kReads)};
    }
  });
}

// Many indeterminate ops: what R3, R5, R6 and R8 work on.
TEST(SearchCrossCheck, CasRegisterMostlyIndeterminate) {
  CrossCheck(
      "cas-register",
      [](std::mt19937& rng) {
        switch (rng() % 3) {
          case 0:
            return TestOp{0, "write", Pick(rng, kValues)};
          case 1:
            return TestOp{0, "cas", Json::array({Pick(rng, kReads), Pick(rng, kValues)})};
          default:
            return TestOp{0, "read", nullptr, Pick(rng, kReads)};
        }
      },
      9);
}

TEST(SearchCrossCheck, Mutex) {
  CrossCheck("mutex", [](std::mt19937& rng) {
    return TestOp{0, rng() % 2 ? "acquire" : "release", nullptr};
  });
}

TEST(SearchCrossCheck, Set) {
  const std::vector<Json> reads = {Json::array(), Json::array({0}), Json::array({1}),
                                   Json::array({0, 1}), Json::array({1, 0, 2})};
  CrossCheck("set", [&](std::mt19937& rng) {
    if (rng() % 2) return TestOp{0, "add", Pick(rng, kValues)};
    return TestOp{0, "read", nullptr, Pick(rng, reads)};
  });
}

TEST(SearchCrossCheck, FifoQueue) {
  CrossCheck("fifo-queue", [](std::mt19937& rng) {
    if (rng() % 2) return TestOp{0, "enqueue", Pick(rng, {0, 1})};
    return TestOp{0, "dequeue", nullptr, Pick(rng, {nullptr, 0, 1})};
  });
}

TEST(SearchCrossCheck, KvAppend) {
  const std::vector<Json> reads = {"", "a", "b", "ab", "ba", "aa"};
  CrossCheck("string-kv", [&](std::mt19937& rng) {
    switch (rng() % 3) {
      case 0:
        return TestOp{0, "append", Pick(rng, {"a", "b"})};
      case 1:
        return TestOp{0, "put", Pick(rng, {"", "a"})};
      default:
        return TestOp{0, "get", nullptr, Pick(rng, reads)};
    }
  });
}

TEST(SearchCrossCheck, FencedRegister) {
  auto w = [](int token, int value) { return Json{{"token", token}, {"value", value}}; };
  const std::vector<Json> writes = {w(1, 0), w(2, 1), w(2, 0), w(3, 1)};
  const std::vector<Json> reads = {nullptr, w(1, 0), w(2, 1), w(3, 1)};
  CrossCheck("fenced-register", [&](std::mt19937& rng) {
    if (rng() % 2) return TestOp{0, "write", Pick(rng, writes)};
    return TestOp{0, "read", nullptr, Pick(rng, reads)};
  });
}

TEST(SearchCrossCheck, MultiRegister) {
  auto m = [](const char* text) { return Json::parse(text); };
  const std::vector<Json> writes = {m(R"([["write","x",1]])"), m(R"([["write","y",1]])"),
                                    m(R"([["write","x",2],["write","y",2]])")};
  const std::vector<Json> reads = {m(R"([["read","x",1],["read","y",1]])"),
                                   m(R"([["read","x",2],["read","y",2]])"),
                                   m(R"([["read","x",1]])"), m(R"([["read","y",2]])")};
  CrossCheck("multi-register", [&](std::mt19937& rng) {
    if (rng() % 2) return TestOp{0, "txn", Pick(rng, writes)};
    Json seen = Pick(rng, reads);
    Json asked = seen;
    for (Json& micro : asked) micro[2] = nullptr;
    return TestOp{0, "txn", asked, seen};
  });
}

}  // namespace
}  // namespace jepsen::checker::linearizable
