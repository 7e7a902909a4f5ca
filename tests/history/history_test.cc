#include "history/history.h"

#include <gtest/gtest.h>

#include <limits>

namespace jepsen::history {
namespace {

Event Make(EventType type, int64_t process, std::string f, int64_t line, Json value = nullptr) {
  Event e;
  e.type = type;
  e.process = process;
  e.f = std::move(f);
  e.line = line;
  e.value = std::move(value);
  return e;
}

TEST(HistoryBuilder, PairsInvokesWithCompletions) {
  HistoryBuilder b("h");
  ASSERT_TRUE(b.Add(Make(EventType::kInvoke, 0, "write", 1, 3), false, false).ok());
  ASSERT_TRUE(b.Add(Make(EventType::kInvoke, 1, "read", 2), false, false).ok());
  ASSERT_TRUE(b.Add(Make(EventType::kOk, 1, "read", 3, 3), false, false).ok());
  ASSERT_TRUE(b.Add(Make(EventType::kInfo, kNemesis, "kill", 4), false, false).ok());
  ASSERT_TRUE(b.Add(Make(EventType::kFail, 0, "write", 5), false, false).ok());
  ASSERT_TRUE(b.Add(Make(EventType::kInvoke, 2, "write", 6, 4), false, false).ok());
  History h = std::move(b).Finish();
  ASSERT_EQ(h.ops.size(), 3u);
  EXPECT_EQ(h.ops[0].outcome, EventType::kFail);
  EXPECT_EQ(h.ops[0].completion, 4u);
  EXPECT_EQ(h.ops[1].outcome, EventType::kOk);
  EXPECT_EQ(h.value(h.ops[1]), 3);
  // An invoke never completed is read as info, open to the end of time.
  EXPECT_EQ(h.ops[2].outcome, EventType::kInfo);
  EXPECT_EQ(h.completion(h.ops[2]), nullptr);
  EXPECT_EQ(h.completion_time(h.ops[2]), std::numeric_limits<int64_t>::max());
  // Without times in the file, the line stands in.
  EXPECT_EQ(h.events[2].time, 3);
  EXPECT_EQ(h.events[5].index, 5);
}

TEST(HistoryBuilder, RejectsOrphanCompletion) {
  HistoryBuilder b("h.jsonl");
  Status s = b.Add(Make(EventType::kOk, 4, "read", 7), false, false);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "h.jsonl:7: 'ok' completion for process 4 which has no pending invoke");
}

TEST(HistoryBuilder, RejectsDoubleInvoke) {
  HistoryBuilder b("h.jsonl");
  ASSERT_TRUE(b.Add(Make(EventType::kInvoke, 1, "read", 1), false, false).ok());
  Status s = b.Add(Make(EventType::kInvoke, 1, "write", 2), false, false);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("h.jsonl:2:"), std::string::npos);
  EXPECT_NE(s.message().find("still pending"), std::string::npos);
}

TEST(HistoryBuilder, RejectsMismatchedF) {
  HistoryBuilder b("h.jsonl");
  ASSERT_TRUE(b.Add(Make(EventType::kInvoke, 1, "read", 1), false, false).ok());
  Status s = b.Add(Make(EventType::kOk, 1, "write", 2), false, false);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("h.jsonl:2: completion field 'f' is \"write\""), std::string::npos);
}

TEST(HistoryBuilder, RejectsMismatchedKey) {
  HistoryBuilder b("h");
  Event invoke = Make(EventType::kInvoke, 1, "read", 1);
  invoke.key = "a";
  Event done = Make(EventType::kOk, 1, "read", 2);
  done.key = "b";
  ASSERT_TRUE(b.Add(invoke, false, false).ok());
  Status s = b.Add(done, false, false);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("field 'key'"), std::string::npos);
}

TEST(HistoryBuilder, RejectsTimeGoingBackwards) {
  HistoryBuilder b("h");
  Event a = Make(EventType::kInvoke, 1, "read", 1);
  a.time = 100;
  Event c = Make(EventType::kOk, 1, "read", 2);
  c.time = 99;
  ASSERT_TRUE(b.Add(a, true, false).ok());
  Status s = b.Add(c, true, false);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("h:2: field 'time' goes backwards"), std::string::npos);
}

TEST(HistoryBuilder, RejectsTimeOnSomeEventsOnly) {
  HistoryBuilder b("h");
  ASSERT_TRUE(b.Add(Make(EventType::kInvoke, 1, "read", 1), true, false).ok());
  Status s = b.Add(Make(EventType::kOk, 1, "read", 2), false, false);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("field 'time' missing"), std::string::npos);
}

TEST(HistoryBuilder, NemesisEventsAreNotPaired) {
  HistoryBuilder b("h");
  ASSERT_TRUE(b.Add(Make(EventType::kInvoke, kNemesis, "kill", 1), false, false).ok());
  ASSERT_TRUE(b.Add(Make(EventType::kInfo, kNemesis, "kill", 2), false, false).ok());
  History h = std::move(b).Finish();
  EXPECT_TRUE(h.ops.empty());
  EXPECT_EQ(h.events[0].type, EventType::kInfo);
}

TEST(HistoryBuilder, WarnsOnceWhenACrashedProcessInvokesAgain) {
  HistoryBuilder b("h");
  ASSERT_TRUE(b.Add(Make(EventType::kInvoke, 1, "write", 1), false, false).ok());
  ASSERT_TRUE(b.Add(Make(EventType::kInfo, 1, "write", 2), false, false).ok());
  ASSERT_TRUE(b.Add(Make(EventType::kInvoke, 1, "read", 3), false, false).ok());
  ASSERT_TRUE(b.Add(Make(EventType::kOk, 1, "read", 4), false, false).ok());
  History h = std::move(b).Finish();
  ASSERT_EQ(h.warnings.size(), 1u);
  EXPECT_EQ(h.ops.size(), 2u);
}

TEST(HistoryBuilder, TimesAndIndicesAtTheEndsOfInt64AreRead) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  HistoryBuilder b("h");
  Event e = Make(EventType::kInvoke, 1, "write", 1);
  e.time = kMin;
  e.index = kMin;  // the first index may be any int64, the smallest too
  ASSERT_TRUE(b.Add(e, true, true).ok());
  e = Make(EventType::kOk, 1, "write", 2);
  e.time = kMax;
  e.index = kMax;
  Status s = b.Add(e, true, true);
  ASSERT_TRUE(s.ok()) << s.message();
  History h = std::move(b).Finish();
  EXPECT_EQ(h.events[0].time, kMin);
  EXPECT_EQ(h.completion_time(h.ops[0]), kMax);
}

TEST(HistoryBuilder, WithoutAClockEventsSharingALineStillFollowFileOrder) {
  HistoryBuilder b("h.edn", Format::kEdn);
  for (EventType type : {EventType::kInvoke, EventType::kOk, EventType::kInvoke, EventType::kOk}) {
    ASSERT_TRUE(b.Add(Make(type, 1, "read", 1), false, false).ok());  // all on line 1
  }
  History h = std::move(b).Finish();
  for (size_t i = 1; i < h.events.size(); ++i) {
    EXPECT_LT(h.events[i - 1].time, h.events[i].time) << i;
    EXPECT_EQ(h.events[i].line, 1);
  }
  EXPECT_EQ(h.events[0].time, 1);  // the line serves, as far as it can
}

}  // namespace
}  // namespace jepsen::history
