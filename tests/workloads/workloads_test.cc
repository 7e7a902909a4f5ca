// The workloads registry: each workload declares its options and is made from
// their values; the header records what its checks read.
#include <gtest/gtest.h>

#include <set>

#include "generator/context.h"
#include "generator/rng.h"
#include "workloads/workload.h"

namespace jepsen::workloads {
namespace {

using history::Json;

Workload Make(const std::string& name, const options::Values& given = {}) {
  const WorkloadType* type = FindWorkload(name).value();
  Result<options::Values> values = options::Resolve(type->options, given);
  EXPECT_TRUE(values.ok()) << (values.ok() ? "" : values.message());
  return type->make(*values);
}

// The ops a workload's main phase invokes first, each on a free thread.
std::vector<generator::Op> FirstOps(Workload& w, int count) {
  generator::Rng rng(7);
  std::vector<bool> free(4, true);
  std::vector<generator::Op> ops;
  for (int i = 0; i < count; ++i) {
    generator::Context ctx(0, rng, free, true);
    generator::Step step = w.main->Next(ctx);
    if (!step.is_invoke()) break;
    ops.push_back(step.op);
    history::Event done;  // each op ends ok at once, its thread free again
    done.type = history::EventType::kOk;
    done.f = step.op.f;
    done.key = step.op.key;
    if (step.op.f == "acquire") done.value = {{"token", i}};
    w.main->Update(ctx, step.thread, done);
  }
  return ops;
}

TEST(Workloads, EachIsFoundByNameWithItsOptions) {
  EXPECT_EQ(WorkloadNames(), (std::vector<std::string>{"register", "leases", "checkpoints"}));
  for (const WorkloadType& type : Workloads()) {
    EXPECT_FALSE(type.help.empty()) << type.name;
    EXPECT_NE(options::Find(type.options, "keys"), nullptr) << type.name;
    EXPECT_EQ(Make(type.name).name, type.name);
  }
  EXPECT_EQ(FindWorkload("queue").message(),
            "unknown workload 'queue' (known: register, leases, checkpoints)");
}

TEST(Workloads, HeaderRecordsWhatTheChecksRead) {
  EXPECT_EQ(Make("register").options, Json({{"keys", 3}}));
  EXPECT_EQ(Make("checkpoints").options, Json({{"keys", 3}}));
  EXPECT_EQ(
      Make("leases").options,
      Json({{"drift", 0.01}, {"keys", 3}, {"ttl_ms", 1000}, {"think_ms", 0}, {"zombies", 0.1}}));
  options::Values given;
  given.Set("ttl-ms", 0);  // the system's default; none adjusted it
  given.Set("drift", 0.2);
  EXPECT_EQ(
      Make("leases", given).options,
      Json({{"drift", 0.2}, {"keys", 3}, {"ttl_ms", 1000}, {"think_ms", 0}, {"zombies", 0.1}}));
}

TEST(Workloads, KeysBoundTheKeysOpsUse) {
  options::Values given;
  given.Set("keys", 2);
  for (const std::string& name : WorkloadNames()) {
    Workload w = Make(name, given);
    std::set<std::string> keys;
    for (const generator::Op& op : FirstOps(w, 200)) keys.insert(op.key.dump());
    EXPECT_EQ(keys.size(), 2u) << name;
  }
}

// What the client-clock fault is offered for: only clients that act on their own clocks.
TEST(Workloads, OnlyLeasesClientsKeepTime) {
  for (const std::string& name : WorkloadNames()) {
    EXPECT_EQ(Make(name).clients_keep_time, name == "leases") << name;
  }
}

TEST(Leases, AcquiresAndRenewsWithTheTtlGiven) {
  options::Values given;
  given.Set("ttl-ms", 400);
  Workload w = Make("leases", given);
  int acquires = 0;
  for (const generator::Op& op : FirstOps(w, 200)) {
    if (op.f != "acquire" && op.f != "renew") continue;
    acquires += op.f == "acquire";
    EXPECT_EQ(op.value["ttl_ms"], 400) << op.f;
  }
  EXPECT_GT(acquires, 0);
}

}  // namespace
}  // namespace jepsen::workloads
