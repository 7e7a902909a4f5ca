// The workloads' ops as PostgreSQL statements and their results as completions, without a
// server: which rows make an ok, which make a fail, and which errors leave the outcome open.
#include <gtest/gtest.h>

#include "systems/postgres/sql_ops.h"

namespace jepsen::systems::postgres {
namespace {

using history::EventType;

Statement For(const std::string& workload, const std::string& f, const Json& key, const Json& value,
              bool fencing = true) {
  Result<Statement> s = StatementFor(workload, {f, key, value, 0}, fencing);
  EXPECT_TRUE(s.ok()) << s.message();
  return s.ok() ? *s : Statement{};
}

TEST(PostgresSqlOps, RegisterValuesGoAsJsonAndKeysAsText) {
  const Statement cas = For("register", "cas", 3, Json::array({1, 2}));
  EXPECT_EQ(cas.params, (std::vector<std::string>{"3", "1", "2"}));
  EXPECT_NE(cas.sql.find("WHERE key = $1 AND value = $2"), std::string::npos) << cas.sql;
  EXPECT_EQ(Interpret(cas, {}, 1).type, EventType::kOk);
  const Completion refused = Interpret(cas, {}, 0);
  EXPECT_EQ(refused.type, EventType::kFail);
  EXPECT_EQ(refused.error, "not the expected value");
  const Statement read = For("register", "read", "k", nullptr);
  EXPECT_EQ(read.params, std::vector<std::string>{"k"});
  EXPECT_EQ(Interpret(read, {{std::string("4")}}, 1).value, Json(4));
  const Completion never = Interpret(read, {}, 0);
  EXPECT_EQ(never.type, EventType::kOk);
  EXPECT_TRUE(never.value.is_null());
}

TEST(PostgresSqlOps, AcquireTakesOnlyARowThatRanOutByTheServersClockAndReturnsTheNextToken) {
  const Statement s = For("leases", "acquire", "r0", {{"ttl_ms", 400}});
  EXPECT_EQ(s.params, (std::vector<std::string>{"r0", "400"}));
  EXPECT_NE(s.sql.find("token = l.token + 1"), std::string::npos) << s.sql;
  EXPECT_NE(s.sql.find("WHERE l.expires_at <= clock_timestamp()"), std::string::npos) << s.sql;
  EXPECT_EQ(s.sql.find("now()"), std::string::npos) << "now() is the transaction's start";
  const Completion granted = Interpret(s, {{std::string("7")}}, 1);
  EXPECT_EQ(granted.type, EventType::kOk);
  EXPECT_EQ(granted.value, Json({{"token", 7}}));
  const Completion held = Interpret(s, {}, 0);
  EXPECT_EQ(held.type, EventType::kFail);
  EXPECT_EQ(held.error, "held");
}

TEST(PostgresSqlOps, RenewAndReleaseAreGuardedByTheTokenAndTheExpiry) {
  for (const std::string f : {"renew", "release"}) {
    const Statement s = For("leases", f, "r0", {{"token", 5}, {"ttl_ms", 400}});
    EXPECT_NE(s.sql.find("token = $"), std::string::npos) << s.sql;
    EXPECT_NE(s.sql.find("expires_at > clock_timestamp()"), std::string::npos) << s.sql;
    EXPECT_NE(std::find(s.params.begin(), s.params.end(), "5"), s.params.end());
    EXPECT_EQ(Interpret(s, {}, 0).type, EventType::kFail);
    EXPECT_EQ(Interpret(s, {}, 1).type, EventType::kOk);
  }
}

TEST(PostgresSqlOps, TheFencedWriteComparesTokensAndTheUnfencedOneDoesNot) {
  const Json value = {{"token", 5}, {"value", 9}};
  const Statement fenced = For("leases", "write", "r0", value, true);
  const Statement unfenced = For("leases", "write", "r0", value, false);
  EXPECT_NE(fenced.sql.find("WHERE r.token <= excluded.token"), std::string::npos);
  EXPECT_EQ(unfenced.sql.find("WHERE"), std::string::npos) << unfenced.sql;
  EXPECT_EQ(fenced.params, (std::vector<std::string>{"r0", "5", "9"}));
  EXPECT_EQ(Interpret(fenced, {}, 0).error, "stale token");
  const Statement read = For("leases", "read", "r0", nullptr);
  EXPECT_EQ(Interpret(read, {{std::string("5"), std::string("9")}}, 1).value,
            Json({{"token", 5}, {"value", 9}}));
}

TEST(PostgresSqlOps, ACheckpointIsTakenOnlyOverALowerSeq) {
  const Statement s = For("checkpoints", "checkpoint", "s0", {{"seq", 12}, {"data", "x"}});
  EXPECT_NE(s.sql.find("WHERE c.seq < excluded.seq"), std::string::npos) << s.sql;
  EXPECT_EQ(s.params, (std::vector<std::string>{"s0", "12", "\"x\""}));
  EXPECT_EQ(Interpret(s, {}, 0).type, EventType::kFail);
  EXPECT_EQ(Interpret(s, {}, 1).type, EventType::kOk);
  const Statement read = For("checkpoints", "read", "s0", nullptr);
  EXPECT_EQ(Interpret(read, {{std::string("12")}}, 1).value, Json({{"seq", 12}}));
  EXPECT_TRUE(Interpret(read, {}, 0).value.is_null());
}

TEST(PostgresSqlOps, MalformedOpsAndOpsOfAnotherWorkloadAreRefused) {
  EXPECT_FALSE(StatementFor("leases", {"acquire", "r0", Json::object(), 0}, true).ok());
  EXPECT_FALSE(StatementFor("register", {"acquire", "r0", nullptr, 0}, true).ok());
  EXPECT_FALSE(StatementFor("checkpoints", {"checkpoint", "s", {{"seq", "1"}}, 0}, true).ok());
}

TEST(PostgresSqlOps, AnErrorFailsTheOpAndAFatalOrPanicLeavesItOpen) {
  EXPECT_EQ(ErrorOutcome("ERROR"), EventType::kFail);  // 40001, 40P01, 53100: rolled back
  EXPECT_EQ(ErrorOutcome("FATAL"), EventType::kInfo);  // 57P01 shutdown: a commit may be in
  EXPECT_EQ(ErrorOutcome("PANIC"), EventType::kInfo);  // a failed WAL flush: recovery decides
  EXPECT_EQ(ErrorOutcome(""), EventType::kInfo);
}

}  // namespace
}  // namespace jepsen::systems::postgres
