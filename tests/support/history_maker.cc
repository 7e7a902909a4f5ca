#include "tests/support/history_maker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

namespace jepsen::testing {

history::History MakeHistory(const std::vector<TestOp>& ops,
                             const std::vector<TestNemesis>& nemesis, const Json& header) {
  // Ordered by (time, invokes < nemesis < completions, insertion): ops that touch stay
  // concurrent in file order too.
  std::vector<std::tuple<int64_t, int, size_t, history::Event>> events;
  size_t seq = 0;
  for (const TestOp& op : ops) {
    history::Event invoke;
    invoke.type = EventType::kInvoke;
    invoke.process = op.process;
    invoke.f = op.f;
    invoke.key = op.key;
    invoke.value = op.value;
    invoke.time = op.call;
    events.emplace_back(op.call, 0, seq++, invoke);
    if (op.outcome == EventType::kInfo && op.ret < 0) continue;
    history::Event done = invoke;
    done.type = op.outcome;
    done.time = op.ret;
    if (!op.result.is_null()) done.value = op.result;
    events.emplace_back(op.ret, 2, seq++, done);
  }
  for (const TestNemesis& n : nemesis) {
    history::Event e;
    e.type = EventType::kInfo;
    e.process = history::kNemesis;
    e.f = n.f;
    e.value = n.value;
    e.time = n.time;
    events.emplace_back(n.time, 1, seq++, e);
  }
  std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a)) <
           std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b));
  });
  history::HistoryBuilder builder("test.jsonl");
  if (!header.is_null()) {
    Status status = builder.SetHeader(header);
    EXPECT_TRUE(status.ok()) << status.message();
  }
  int64_t line = header.is_null() ? 0 : 1;
  for (auto& [time, order, s, event] : events) {
    event.line = ++line;
    Status status = builder.Add(event, true, false);
    EXPECT_TRUE(status.ok()) << status.message();
  }
  return std::move(builder).Finish();
}

history::History WithoutTimes(const history::History& timed) {
  history::HistoryBuilder builder(timed.source);
  if (!timed.header.is_null()) {
    Status status = builder.SetHeader(timed.header);
    EXPECT_TRUE(status.ok()) << status.message();
  }
  for (const history::Event& e : timed.events) {
    Status status = builder.Add(e, /*has_time=*/false, /*has_index=*/false);
    EXPECT_TRUE(status.ok()) << status.message();
  }
  return std::move(builder).Finish();
}

}  // namespace jepsen::testing
