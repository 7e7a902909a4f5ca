// The systems registry: each system declares its options, is made from their
// values, records its own header fields and may adjust the workload's options.
#include <gtest/gtest.h>

#include "systems/capabilities.h"
#include "systems/refstore/store.h"
#include "systems/systems.h"

namespace jepsen::systems {
namespace {

using history::Json;

// A system of the registry made from `given` (the rest at their defaults).
std::unique_ptr<System> Make(const std::string& name, const options::Values& given = {}) {
  Result<const SystemType*> type = FindSystem(name);
  EXPECT_TRUE(type.ok()) << (type.ok() ? "" : type.message());
  if (!type.ok()) return nullptr;
  Result<options::Values> values = options::Resolve((*type)->options, given);
  EXPECT_TRUE(values.ok()) << (values.ok() ? "" : values.message());
  Result<std::unique_ptr<System>> system = (*type)->make(*values);
  EXPECT_TRUE(system.ok()) << (system.ok() ? "" : system.message());
  return system.ok() ? std::move(system).value() : nullptr;
}

// The lease workload's options as it declares them, given `ttl_ms` when set.
options::Values LeaseOptions(std::optional<int64_t> ttl_ms) {
  options::Values values({options::Integer("ttl-ms", 1000, {0, 86400000}, "TTL")});
  if (ttl_ms) values.Set("ttl-ms", *ttl_ms);
  return values;
}

TEST(Systems, EachIsFoundByNameWithItsOptions) {
  EXPECT_EQ(SystemNames(),
            (std::vector<std::string>{"refstore", "exec", "etcd", "redis", "postgres"}));
  for (const SystemType& type : Systems()) {
    EXPECT_FALSE(type.help.empty()) << type.name;
    EXPECT_FALSE(type.options.empty()) << type.name;
    EXPECT_EQ(FindSystem(type.name).value(), &type);
  }
  EXPECT_EQ(FindSystem("mysql").message(),
            "unknown system 'mysql' (known: refstore, exec, etcd, redis, postgres)");
}

// The planted-bug list is the store's one table, not a copy.
TEST(Refstore, BugChoicesAreTheStoresOwnTable) {
  const options::Option* bug = options::Find(FindSystem("refstore").value()->options, "bug");
  ASSERT_NE(bug, nullptr);
  EXPECT_EQ(bug->choices, refstore::BugNames());
}

TEST(Refstore, RecordsItsBugsAndSync) {
  options::Values given;
  given.Set("bug", Json::array({"memory-only"}));
  given.Set("sync", "off");
  EXPECT_EQ(Make("refstore", given)->HeaderOptions("register"),
            Json({{"bugs", {"memory-only"}}, {"sync", "off"}}));
  EXPECT_EQ(Make("refstore")->HeaderOptions("register"),
            Json({{"bugs", Json::array()}, {"sync", "full"}}));
}

// fsync, the older name: on is sync=full, off is sync=normal; never against sync.
TEST(Refstore, TakesFsyncAsTheOlderNameOfSync) {
  options::Values off;
  off.Set("fsync", false);
  EXPECT_EQ(Make("refstore", off)->HeaderOptions("register")["sync"], "normal");
  options::Values both = off;
  both.Set("sync", "full");
  const auto made =
      FindSystem("refstore")
          .value()
          ->make(options::Resolve(FindSystem("refstore").value()->options, both).value());
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.message(), "fsync=off is sync=normal, which contradicts sync=full");
}

// synchronous_commit, as PostgreSQL spells it (and the issue did), is synchronous-commit.
TEST(Postgres, TakesSynchronousCommitInEitherSpelling) {
  options::Values off;
  off.Set("synchronous_commit", false);
  EXPECT_EQ(Make("postgres", off)->HeaderOptions("checkpoints")["synchronous_commit"], false);
  options::Values dash;
  dash.Set("synchronous-commit", false);
  EXPECT_EQ(Make("postgres", dash)->HeaderOptions("checkpoints")["synchronous_commit"], false);
  EXPECT_EQ(Make("postgres", {})->HeaderOptions("checkpoints")["synchronous_commit"], true);
  options::Values both = off;
  both.Set("synchronous-commit", true);
  const SystemType* postgres = FindSystem("postgres").value();
  const auto made = postgres->make(options::Resolve(postgres->options, both).value());
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.message().find("one option, given two values"), std::string::npos);
}

TEST(Exec, NeedsAClientCommandBeforeAnythingStarts) {
  const SystemType* exec = FindSystem("exec").value();
  Result<std::unique_ptr<System>> system = exec->make(options::Values(exec->options));
  ASSERT_FALSE(system.ok());
  EXPECT_NE(system.message().find("client-cmd"), std::string::npos) << system.message();
}

TEST(Exec, NodesAndCommandsShapeItsLeaderAndHeader) {
  options::Values given;
  given.Set("client-cmd", "adapter");
  given.Set("node-cmd", "node {port}");
  given.Set("nodes", 3);
  std::unique_ptr<System> three = Make("exec", given);
  EXPECT_FALSE(
      three->abilities({}).offers(Leadership::kName));  // which of three leads, it cannot tell
  EXPECT_EQ(three->HeaderOptions("register"),
            Json({{"client_cmd", "adapter"}, {"node_cmd", "node {port}"}, {"nodes", 3}}));
  given.Set("nodes", 0);  // the default: one
  std::unique_ptr<System> one = Make("exec", given);
  EXPECT_TRUE(one->abilities({}).offers(Leadership::kName));
  EXPECT_EQ(one->HeaderOptions("register")["nodes"], 1);
}

// Clocks are faked (libfaketime preloaded) only when the run asks for them; etcd and an exec
// system without nodes of its own say why they cannot.
TEST(Clocks, OfferedOnlyWhenAskedAndRefusedWithAReason) {
  SetupContext asked;
  asked.clocks = true;
  EXPECT_FALSE(Make("refstore")->abilities({}).offers(Clocks::kName));
  EXPECT_TRUE(Make("refstore")->abilities(asked).offers(Clocks::kName));
  options::Values given;
  given.Set("client-cmd", "adapter");
  EXPECT_FALSE(Make("exec", given)->abilities(asked).offers(Clocks::kName));
  EXPECT_NE(Make("exec", given)->abilities(asked).why_not.at(Clocks::kName).find("node-cmd"),
            std::string::npos);
  given.Set("node-cmd", "node {port}");
  EXPECT_FALSE(Make("exec", given)->abilities({}).offers(Clocks::kName));
  EXPECT_TRUE(Make("exec", given)->abilities(asked).offers(Clocks::kName));
  const Abilities etcd = Make("etcd")->abilities(asked);
  EXPECT_FALSE(etcd.offers(Clocks::kName));
  EXPECT_NE(etcd.why_not.at(Clocks::kName).find("vDSO"), std::string::npos);
}

// postgres with hosts= offers the process, network and clock faults there, and refuses disk
// faults (which other systems carry out on hosts), saying why; here it has them.
TEST(Postgres, OnAHostItRefusesDiskFaultsSayingWhy) {
  SetupContext asked;
  asked.disks = asked.clocks = asked.private_network = true;
  options::Values given;
  given.Set("hosts", "db1");
  std::unique_ptr<System> system = Make("postgres", given);
  ASSERT_NE(system, nullptr);
  const Abilities a = system->abilities(asked);
  EXPECT_TRUE(a.offers(ProcessNodes::kName));
  EXPECT_TRUE(a.offers(Network::kName));
  EXPECT_TRUE(a.offers(Clocks::kName));
  EXPECT_FALSE(a.offers(Disks::kName));
  ASSERT_EQ(a.why_not.count(Disks::kName), 1u);
  EXPECT_NE(a.why_not.at(Disks::kName).find("remote host"), std::string::npos);
  const Abilities here = Make("postgres")->abilities(asked);
  EXPECT_TRUE(here.offers(Disks::kName));
  EXPECT_TRUE(here.offers(Clocks::kName));
}

// Every system that places nodes on hosts offers disk and clock faults there as here (etcd's
// clocks aside), but not slow links, saying why.
TEST(Hosts, DiskAndClockFaultsAreOfferedOnHostsAndSlowLinksRefused) {
  SetupContext asked;
  asked.disks = asked.clocks = asked.private_network = true;
  for (const char* name : {"etcd", "redis", "exec", "postgres"}) {
    options::Values here, on_hosts;
    if (std::string(name) == "exec") {
      here.Set("node-cmd", "true");
      here.Set("client-cmd", "true");
    }
    on_hosts = here;
    on_hosts.Set("hosts", "db1,db2,db3");
    std::unique_ptr<System> system = Make(name, on_hosts);
    ASSERT_NE(system, nullptr) << name;
    const Abilities a = system->abilities(asked);
    EXPECT_TRUE(a.on_hosts) << name;  // their needs are checked there, not here
    EXPECT_TRUE(a.offers(Network::kName)) << name;
    EXPECT_FALSE(a.offers(Network::kSlowLinks)) << name;
    ASSERT_EQ(a.why_not.count(Network::kSlowLinks), 1u) << name;
    EXPECT_NE(a.why_not.at(Network::kSlowLinks).find("remote hosts"), std::string::npos) << name;
    EXPECT_EQ(a.offers(Disks::kName), std::string(name) != "postgres") << name;
    EXPECT_EQ(a.offers(Clocks::kName), std::string(name) != "etcd" && std::string(name) != "redis")
        << name;
    EXPECT_TRUE(Make(name, here)->abilities(asked).offers(Network::kSlowLinks)) << name;
  }
}

TEST(Etcd, RecordsItsOptionsFencingWithLeasesOnly) {
  options::Values given;
  given.Set("reads", "serializable");
  given.Set("fencing", false);
  std::unique_ptr<System> etcd = Make("etcd", given);
  EXPECT_EQ(etcd->HeaderOptions("register"), Json({{"nodes", 3}, {"reads", "serializable"}}));
  EXPECT_EQ(etcd->HeaderOptions("leases"),
            Json({{"fencing", false}, {"nodes", 3}, {"reads", "serializable"}}));
}

// etcd grants TTLs in whole seconds and at least 2 s: a lease the checker would judge against
// another TTL than etcd keeps is refused; left unset, it is etcd's shortest.
TEST(Etcd, AdjustsTheLeaseTtlOrRefusesOneItCannotGrant) {
  std::unique_ptr<System> etcd = Make("etcd");
  options::Values unset = LeaseOptions(std::nullopt);
  ASSERT_TRUE(etcd->AdjustWorkload("leases", unset).ok());
  EXPECT_EQ(unset.Integer("ttl-ms"), 2000);
  options::Values zero = LeaseOptions(0);
  ASSERT_TRUE(etcd->AdjustWorkload("leases", zero).ok());
  EXPECT_EQ(zero.Integer("ttl-ms"), 2000);
  options::Values whole = LeaseOptions(3000);
  ASSERT_TRUE(etcd->AdjustWorkload("leases", whole).ok());
  EXPECT_EQ(whole.Integer("ttl-ms"), 3000);
  for (int64_t bad : {1000, 1500, 2500}) {
    options::Values values = LeaseOptions(bad);
    Status s = etcd->AdjustWorkload("leases", values);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.message().find("use ttl-ms=2000 or another multiple of 1000"), std::string::npos)
        << s.message();
  }
  options::Values keys({options::Integer("keys", 3, {1, 100}, "Keys")});
  EXPECT_TRUE(etcd->AdjustWorkload("register", keys).ok());
  EXPECT_FALSE(keys.Has("ttl-ms"));
  // Other systems leave the workload's options alone.
  options::Values refstore = LeaseOptions(1500);
  EXPECT_TRUE(Make("refstore")->AdjustWorkload("leases", refstore).ok());
  EXPECT_EQ(refstore.Integer("ttl-ms"), 1500);
}

}  // namespace
}  // namespace jepsen::systems
