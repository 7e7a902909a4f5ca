#include "runner/run_options.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "nemesis/options.h"

namespace jepsen::runner {
namespace {

TEST(RunOptionTable, DeclaredDefaultsAreRunOptionsOwn) {
  const RunOptions defaults;
  for (const RunOption& r : RunOptionTable()) {
    EXPECT_EQ(options::ValueText(r.get(defaults)), options::ValueText(r.option.fallback))
        << r.option.name;
    RunOptions set;
    r.set(set, r.option.fallback);
    EXPECT_EQ(r.get(set), r.get(defaults)) << r.option.name;
  }
}

TEST(RunOptionTable, SetsTheFieldsFromParsedValues) {
  RunOptions o;
  for (auto [name, text] : {std::pair{"workload", "leases"}, std::pair{"nemesis", "kill,pause"},
                            std::pair{"target", "leader,one"}, std::pair{"seed", "42"},
                            std::pair{"time-limit", "2.5"}, std::pair{"concurrency", "7"}}) {
    const RunOption* r = FindRunOption(name);
    ASSERT_NE(r, nullptr) << name;
    r->set(o, options::Parse(r->option, text).value());
  }
  EXPECT_EQ(o.workload, "leases");
  EXPECT_EQ(o.nemesis, "kill,pause");
  EXPECT_EQ(o.targets, "leader,one");
  EXPECT_EQ(o.seed, 42u);
  EXPECT_EQ(o.time_limit_s, 2.5);
  EXPECT_EQ(o.concurrency, 7);
  EXPECT_EQ(FindRunOption("fsync"), nullptr);  // the reference store's, not the run's
  // The nemesis declares the nemesis' options; the run only holds them.
  for (const options::Option& n : nemesis::Options()) {
    if (const RunOption* r = FindRunOption(n.name)) {
      EXPECT_EQ(Describe(r->option), Describe(n));
    }
  }
}

TEST(ResolveOptions, GivesEachOwnerItsOptionsWithDefaults) {
  RunOptions o;
  o.workload = "leases";
  o.system = "refstore";
  o.options.Set("bug", "memory-only,stale-reads");  // text, as the command line gives it
  o.options.Set("ttl-ms", 400);
  Result<OwnedOptions> owned = ResolveOptions(o);
  ASSERT_TRUE(owned.ok()) << owned.message();
  EXPECT_EQ(owned->system.List("bug"), (std::vector<std::string>{"memory-only", "stale-reads"}));
  EXPECT_TRUE(owned->system.On("fsync"));
  EXPECT_EQ(owned->workload.Integer("ttl-ms"), 400);
  EXPECT_TRUE(owned->workload.Given("ttl-ms"));
  EXPECT_EQ(owned->workload.Integer("keys"), 3);
  EXPECT_FALSE(owned->workload.Given("keys"));
  EXPECT_EQ(owned->workload.Number("drift"), 0.01);
  EXPECT_FALSE(owned->system.Has("ttl-ms"));
}

TEST(ResolveOptions, AnOptionOfAnotherPartNamesWhoseItIs) {
  auto error = [](const std::string& workload, const std::string& system, const std::string& name,
                  const history::Json& value) {
    RunOptions o;
    o.workload = workload;
    o.system = system;
    o.options.Set(name, value);
    Result<OwnedOptions> owned = ResolveOptions(o);
    return owned.ok() ? std::string("ok") : owned.message();
  };
  EXPECT_EQ(error("register", "refstore", "reads", "serializable"),
            "reads: an option of system=etcd; this run's system is refstore");
  EXPECT_EQ(error("register", "refstore", "nodes", 3),
            "nodes: an option of system=exec, system=etcd or system=redis; this run's system is "
            "refstore");
  EXPECT_EQ(error("register", "etcd", "bug", "stale-reads"),
            "bug: an option of system=refstore; this run's system is etcd");
  EXPECT_EQ(error("checkpoints", "refstore", "ttl-ms", 400),
            "ttl-ms: an option of workload=leases; this run's workload is checkpoints");
  EXPECT_EQ(error("register", "refstore", "fencng", false),
            "unknown option 'fencng'; did you mean 'fencing'?");
  EXPECT_EQ(error("register", "refstore", "seed", 3),
            "seed: one of the run's own options, a field of RunOptions");
  // Values set by a program are judged as the command line's are.
  EXPECT_EQ(error("register", "refstore", "keys", 0),
            "keys: '0' is out of range; expected a whole number from 1 to 100000");
  EXPECT_EQ(error("register", "refstore", "bug", history::Json::array({"stale-read"})),
            "unknown bug 'stale-read'; did you mean 'stale-reads'? (known: stale-reads, "
            "lease-double-grant, token-reuse, unfenced-writes, renew-expired, ack-before-durable, "
            "memory-only, checkpoint-regress)");
  EXPECT_EQ(error("register", "refstore", "fsync", 1), "fsync: 1 is not on or off (a boolean)");
  EXPECT_EQ(error("registers", "refstore", "keys", 1),
            "unknown workload 'registers' (known: register, leases, checkpoints)");
  EXPECT_EQ(error("register", "etc", "keys", 1),
            "unknown system 'etc' (known: refstore, exec, etcd, redis, postgres)");
}

// Through the C++ API as through the command line: refused before anything starts.
TEST(Run, RefusesAnotherSystemsOptionBeforeAnythingStarts) {
  RunOptions o;
  o.store = ::testing::TempDir() + "/run-options-test-store-" + std::to_string(::getpid());
  o.options.Set("fencing", false);
  std::ostringstream out;
  Result<RunReport> r = runner::Run(o, out, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.message(),
            "fencing: an option of system=etcd, system=redis or system=postgres; this run's "
            "system is refstore");
  EXPECT_FALSE(std::filesystem::exists(o.store));
}

}  // namespace
}  // namespace jepsen::runner
