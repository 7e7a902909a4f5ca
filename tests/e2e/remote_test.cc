// End to end on remote hosts over SSH (issue 16): a fleet of stand-in hosts,
// network namespaces each running OpenSSH's server (tests/support/fleet.h), an
// etcd member started on each by jepsen-keeper over SSH, killed, paused and
// partitioned there; the same verdicts as local runs, and nothing of the run
// left on the hosts afterwards.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "runner/runner.h"
#include "systems/clock/fake_clock.h"
#include "tests/support/fleet.h"
#include "tests/support/run_support.h"

namespace jepsen::runner {
namespace {

using testing::Explain;
using testing::MustRun;
using testing::ProcessesMentioning;
using testing::ProcessesWorkingIn;

bool HavePostgres() {
  std::error_code none;
  for (const auto& version : std::filesystem::directory_iterator("/usr/lib/postgresql", none)) {
    if (::access((version.path() / "bin" / "postgres").c_str(), X_OK) == 0) return true;
  }
  return false;
}

// The SysV segments keyed from the inode of `data_dir` on, as a PostgreSQL server of it makes
// them (the fleet's hosts share this machine's IPC namespace): "key id nattch" each.
std::vector<std::string> SegmentsOf(const std::string& data_dir) {
  struct stat dir;
  if (::stat(data_dir.c_str(), &dir) != 0) return {"(no " + data_dir + ")"};
  const int64_t first = static_cast<key_t>(dir.st_ino);
  std::vector<std::string> found;
  std::ifstream in("/proc/sysvipc/shm");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    int64_t key = 0, id = 0, size = 0, cpid = 0, lpid = 0, nattch = 0;
    std::string perms;
    if (!(fields >> key >> id >> perms >> size >> cpid >> lpid >> nattch)) continue;
    if (key >= first && key < first + 16) {
      found.push_back(std::to_string(key) + " " + std::to_string(id) + " " +
                      std::to_string(nattch));
    }
  }
  return found;
}

// Until `data_dir`'s segments are gone (one goes once its last process detaches): those left.
std::vector<std::string> SegmentsLeft(const std::string& data_dir) {
  std::vector<std::string> left = SegmentsOf(data_dir);
  for (int i = 0; i < 100 && !left.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    left = SegmentsOf(data_dir);
  }
  return left;
}

std::string Lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

class RemoteHosts : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access("/usr/bin/etcd", X_OK) != 0) GTEST_SKIP() << "etcd is not installed";
    uv_loop_init(&loop_);
    Result<std::unique_ptr<testing::Fleet>> fleet = testing::Fleet::Start(&loop_, 3);
    if (!fleet.ok()) GTEST_SKIP() << "no fleet of SSH hosts here: " << fleet.message();
    fleet_ = std::move(*fleet);
  }
  void TearDown() override {
    fleet_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
  }
  RunOptions Options(const std::string& workload, const std::string& nemesis) const {
    RunOptions o;
    o.system = "etcd";
    o.workload = workload;
    o.nemesis = nemesis;
    o.seed = 5;
    o.time_limit_s = 6;
    o.nemesis_interval_s = 1.5;
    o.store = testing::StoreDir("remote-e2e");
    o.binary_dir = JEPSEN_BIN_DIR;
    std::string hosts;
    for (const std::string& h : fleet_->hosts()) hosts += (hosts.empty() ? "" : ",") + h;
    o.options.Set("hosts", hosts);
    o.options.Set("ssh-user", "root");
    o.options.Set("ssh-key", fleet_->dir() + "/user_key");
    o.options.Set("ssh-opts", fleet_->ssh_opts());
    o.options.Set("remote-dir", fleet_->dir() + "/remote");
    return o;
  }
  // Nothing of the run on any host: no process, no nftables table of its own.
  void ExpectHostsClean() {
    EXPECT_TRUE(ProcessesMentioning(fleet_->dir() + "/remote").empty())
        << "a keeper or node outlived the run";
    EXPECT_TRUE(ProcessesWorkingIn(fleet_->dir() + "/remote").empty())
        << Lines(ProcessesWorkingIn(fleet_->dir() + "/remote"));
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(fleet_->OnHost(i, "nft list tables | grep -c jepsen-run- || true"), "0\n")
          << "host " << i;
    }
  }
  // jepsen-run as a child process with `options` (name=value), in the fleet's control namespace.
  pid_t StartRun(const std::vector<std::string>& options,
                 const std::string& system = "etcd") const {
    std::vector<std::string> argv = {std::string(JEPSEN_BIN_DIR) + "/jepsen-run"};
    const RunOptions o = Options("register", "partition");
    std::string hosts;
    for (const std::string& h : fleet_->hosts()) hosts += (hosts.empty() ? "" : ",") + h;
    for (const std::string& a : std::vector<std::string>{
             "system=" + system, "hosts=" + hosts, "ssh-user=root",
             "ssh-key=" + fleet_->dir() + "/user_key", "ssh-opts=" + fleet_->ssh_opts(),
             "remote-dir=" + fleet_->dir() + "/remote", "store=" + o.store + "-child"}) {
      argv.push_back(a);
    }
    argv.insert(argv.end(), options.begin(), options.end());
    const pid_t pid = ::fork();
    if (pid == 0) {
      std::vector<char*> args;
      for (std::string& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      _exit(127);
    }
    return pid;
  }
  // Until the run's members serve on every host (their keepers running).
  bool AwaitMembers(double seconds) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (ProcessesMentioning("--listen-peer-urls").size() >= 3) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  // Until a run's PostgreSQL server runs on h1, its segment made; its data directory (or "").
  std::string AwaitPostgres(double seconds) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      std::error_code none;
      for (const auto& run : std::filesystem::directory_iterator(fleet_->dir() + "/remote", none)) {
        const std::string data = run.path().string() + "/n1";
        // The postmaster, not initdb's bootstrap server (which makes a segment too).
        if (!ProcessesMentioning("hba_file=" + data).empty() && !SegmentsOf(data).empty()) {
          return data;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "";
  }
  RunOptions PostgresOptions(const std::string& workload, const std::string& nemesis) const {
    RunOptions o = Options(workload, nemesis);
    o.system = "postgres";
    o.time_limit_s = 4;
    o.nemesis_interval_s = 1;
    return o;
  }
  // Where a run kept its node on h1.
  std::string RemoteDataDir(const RunReport& r) const {
    return fleet_->dir() + "/remote/" + std::filesystem::path(r.dir).filename().string() + "/n1";
  }
  bool HostsCleanWithin(double seconds) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (ProcessesMentioning(fleet_->dir() + "/remote").empty()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  // `o` under the store's clock at x4, five clients after one 400 ms lease: a lease granted twice
  // (L1) while fencing holds (no L3), as locally (tests/e2e/clock_test.cc); nothing left.
  void ExpectLeasesGrantedTwiceUnderAFastClock(RunOptions o) {
    o.concurrency = 5;
    o.nemesis_interval_s = 0.6;
    o.options.Set("keys", 1);
    o.options.Set("ttl-ms", 400);
    o.options.Set("clock-rate", 4.0);
    RunReport r = MustRun(o);
    EXPECT_GE(r.faults_by_kind["clock"], 1) << Explain(r);
    EXPECT_EQ(r.failed_faults, 0) << Explain(r);
    EXPECT_EQ(r.verdict, checker::Verdict::kInvalid) << Explain(r);
    int l1 = 0, l3 = 0;
    for (const Violation& v : Violations(r)) {
      l1 += v.kind == "L1";
      l3 += v.kind == "L3";
    }
    EXPECT_GE(l1, 1) << Explain(r);
    EXPECT_EQ(l3, 0) << Explain(r);
    ExpectHostsClean();
  }
  uv_loop_t loop_;
  std::unique_ptr<testing::Fleet> fleet_;
};

TEST_F(RemoteHosts, RegisterStaysLinearizableUnderKillAndPartitionOnTheHosts) {
  RunOptions o = Options("register", "kill,partition");
  o.targets = "one,majority";
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GT(r.ok, 50) << Explain(r);
  EXPECT_GE(r.faults_by_kind["kill"] + r.faults_by_kind["partition"], 2) << Explain(r);
  EXPECT_EQ(r.failed_faults, 0) << Explain(r);
  // The members' logs came home.
  EXPECT_GT(std::filesystem::file_size(r.dir + "/data/n1.log"), 0u);
  ExpectHostsClean();
}

TEST_F(RemoteHosts, UnfencedLeasesUnderPauseAreCaughtAsLocally) {
  RunOptions o = Options("leases", "pause");
  o.options.Set("fencing", false);
  o.targets = "leader";
  RunReport r = MustRun(o);
  EXPECT_GE(r.faults_by_kind["pause"], 1) << Explain(r);
  EXPECT_EQ(r.failed_faults, 0) << Explain(r);
  ExpectHostsClean();
}

TEST_F(RemoteHosts, CtrlCLeavesNothingOnTheHosts) {
  const pid_t pid =
      StartRun({"workload=register", "nemesis=partition", "nemesis-interval=0.5", "time-limit=60"});
  ASSERT_TRUE(AwaitMembers(30)) << "the members should be running by now";
  std::this_thread::sleep_for(std::chrono::seconds(4));  // setup done, a partition in force
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  const auto interrupted = std::chrono::steady_clock::now();
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  const double stopping =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - interrupted).count();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0) << "an interrupted run exits non-zero";
  std::ifstream log(Options("register", "partition").store + "-child/latest/run.log");
  std::string text(std::istreambuf_iterator<char>(log), {});
  EXPECT_LT(stopping, 20) << "an interrupted run took " << stopping << " s to stop:\n"
                          << text.substr(text.size() > 3000 ? text.size() - 3000 : 0);
  ExpectHostsClean();
}

// A Ctrl-C while the run connects to the hosts and starts the members: it ends once the setup
// returns, non-zero, with nothing left on the hosts. (Handled inside the setup's own turns of the
// loop, it went on to run for 40 s.)
TEST_F(RemoteHosts, CtrlCWhileStartingEndsTheRunOnceSetUp) {
  const pid_t pid = StartRun({"workload=register", "nemesis=partition", "time-limit=60"});
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  const auto interrupted = std::chrono::steady_clock::now();
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  const double stopping =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - interrupted).count();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_LT(stopping, 20);
  ExpectHostsClean();
}

// The control node dies outright: its SSH connections go, and with them every keeper and its node.
// (A partition in force stays on the hosts until the next run's setup removes it: docs.)
// Killed during a partition: each node's keeper sees its session end, kills the node and
// deletes the run's nftables tables on its host.
TEST_F(RemoteHosts, AControlNodeKilledOutrightLeavesNoProcessOrTableOnTheHosts) {
  const pid_t pid =
      StartRun({"workload=register", "nemesis=partition", "nemesis-interval=0.5", "time-limit=60"});
  ASSERT_TRUE(AwaitMembers(30)) << "the members should be running by now";
  bool parted = false;
  for (int i = 0; i < 300 && !parted; ++i) {
    for (int h = 0; h < 3 && !parted; ++h) {
      parted = fleet_->OnHost(h, "nft list tables | grep -c jepsen-run- || true") != "0\n";
    }
    if (!parted) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(parted) << "no partition within 30 s";
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ASSERT_EQ(::waitpid(pid, nullptr, 0), pid);
  EXPECT_TRUE(HostsCleanWithin(15)) << "a keeper or member outlived the control node";
  ExpectHostsClean();  // no table either
}

// Redis on hosts: a primary and a replica, kill and partition there; checkpoints kept (always).
TEST_F(RemoteHosts, RedisKeepsCheckpointsUnderKillAndPartitionOnTheHosts) {
  if (::access("/usr/bin/redis-server", X_OK) != 0) GTEST_SKIP() << "redis-server is not installed";
  RunOptions o = Options("checkpoints", "kill,partition");
  o.system = "redis";
  o.options.Set("appendfsync", "always");
  o.options.Set("nodes", 2);
  o.targets = "one";
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GT(r.ok, 20) << Explain(r);
  EXPECT_GE(r.faults_by_kind["kill"] + r.faults_by_kind["partition"], 2) << Explain(r);
  EXPECT_EQ(r.failed_faults, 0) << Explain(r);
  ExpectHostsClean();
}

// The same on hosts finds what it finds locally: without an append-only file a kill loses
// acknowledged checkpoints (10/10 seeds locally, bench/redis_detection.sh).
TEST_F(RemoteHosts, RedisWithoutItsAppendOnlyFileLosesCheckpointsOnAKillThere) {
  if (::access("/usr/bin/redis-server", X_OK) != 0) GTEST_SKIP() << "redis-server is not installed";
  RunOptions o = Options("checkpoints", "kill");
  o.system = "redis";
  o.options.Set("appendonly", false);
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kInvalid) << Explain(r);
  EXPECT_GE(r.faults_by_kind["kill"], 1) << Explain(r);
  ExpectHostsClean();
}

// Your own system's node on a host: node-cmd runs there, {host} its address; the adapter stays on
// the control node and reaches it over the network.
TEST_F(RemoteHosts, AnExecNodeRunsOnItsHostUnderKillAndPartition) {
  RunOptions o = Options("checkpoints", "kill,partition");
  testing::UseTaskstore(o, "");
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GT(r.ok, 20) << Explain(r);
  EXPECT_GE(r.faults_by_kind["kill"] + r.faults_by_kind["partition"], 2) << Explain(r);
  EXPECT_EQ(r.failed_faults, 0) << Explain(r);
  ExpectHostsClean();
}

// Nothing of a run mounted under the fleet's remote directory.
bool MountsLeftUnder(const std::string& dir) {
  std::ifstream mounts("/proc/mounts");
  for (std::string device, point, rest; mounts >> device >> point && std::getline(mounts, rest);) {
    if (point.rfind(dir, 0) == 0) return true;
  }
  return false;
}

// Power loss on a host: jepsen-diskfs started there under the node's data. SQLite's
// synchronous=NORMAL in WAL mode (taskstore --unsafe wal-normal) loses acknowledged checkpoints
// as it does locally (tests/e2e/disk_test.cc); FULL keeps them. No mount is left on the host.
TEST_F(RemoteHosts, PowerLossOnAHostLosesWhatWasNotSyncedThere) {
  std::string misses;
  RunReport r;
  for (uint64_t seed = 5; seed < 8; ++seed) {  // a power loss must land after a commit
    RunOptions o = Options("checkpoints", "power");
    testing::UseTaskstore(o, "wal-normal");
    o.seed = seed;
    r = MustRun(o);
    if (r.verdict == checker::Verdict::kInvalid) break;
    misses += "seed " + std::to_string(seed) + " missed it:\n" + Explain(r) + "\n";
  }
  ASSERT_EQ(r.verdict, checker::Verdict::kInvalid) << misses;
  EXPECT_EQ(r.failed_faults, 0) << Explain(r);
  bool c1 = false;
  for (const Violation& v : Violations(r)) c1 = c1 || v.kind == "C1";
  EXPECT_TRUE(c1) << Explain(r);
  EXPECT_FALSE(MountsLeftUnder(fleet_->dir() + "/remote")) << "jepsen-diskfs left mounted";
  ExpectHostsClean();

  RunOptions full = Options("checkpoints", "power");
  testing::UseTaskstore(full, "");
  RunReport kept = MustRun(full);
  EXPECT_EQ(kept.verdict, checker::Verdict::kValid) << Explain(kept);
  EXPECT_GE(kept.faults_by_kind["power"], 1) << Explain(kept);
  EXPECT_EQ(kept.failed_faults, 0) << Explain(kept);
  EXPECT_FALSE(MountsLeftUnder(fleet_->dir() + "/remote")) << "jepsen-diskfs left mounted";
  ExpectHostsClean();
}

// A clock fault on a host: libfaketime in the node's environment there, its setting kept by the
// node's keeper. The taskstore's clock running 4x fast grants a lease twice (L1) while fencing
// holds (no L3), as locally (tests/e2e/clock_test.cc).
TEST_F(RemoteHosts, AFastClockOnAHostGrantsLeasesTwiceWhileFencingHolds) {
  if (!systems::LibFaketime().ok()) GTEST_SKIP() << systems::LibFaketime().message();
  RunOptions o = Options("leases", "clock");
  testing::UseTaskstore(o, "");
  ExpectLeasesGrantedTwiceUnderAFastClock(o);
}

// PostgreSQL on a host: initdb'd there as the postgres user, its server kept by jepsen-keeper,
// killed and partitioned there; the clients reach it from the control node. Valid, as locally,
// and nothing of it left there: no process, table or SysV segment.
TEST_F(RemoteHosts, PostgresRegisterStaysLinearizableUnderKillAndPartitionOnItsHost) {
  if (!HavePostgres()) GTEST_SKIP() << "PostgreSQL's server is not installed";
  RunOptions o = PostgresOptions("register", "kill,partition");
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_GT(r.ok, 100) << Explain(r);
  EXPECT_GE(r.faults_by_kind["kill"], 1) << Explain(r);
  EXPECT_GE(r.faults_by_kind["partition"], 1) << Explain(r);
  EXPECT_EQ(r.failed_faults, 0) << Explain(r);
  // The server ran there, its log came home.
  EXPECT_TRUE(std::filesystem::exists(RemoteDataDir(r) + "/PG_VERSION")) << RemoteDataDir(r);
  std::ifstream log(r.dir + "/run.log");
  const std::string text(std::istreambuf_iterator<char>(log), {});
  EXPECT_NE(text.find("database system is ready to accept connections"), std::string::npos);
  ExpectHostsClean();
  EXPECT_TRUE(SegmentsLeft(RemoteDataDir(r)).empty()) << Lines(SegmentsOf(RemoteDataDir(r)));
  EXPECT_FALSE(std::filesystem::exists(RemoteDataDir(r) + ".sock"));
}

// Unfenced, a lease holder paused past its lease writes over its successor (L3), as locally.
TEST_F(RemoteHosts, PostgresUnfencedLeasesUnderClientPauseAreCaught) {
  if (!HavePostgres()) GTEST_SKIP() << "PostgreSQL's server is not installed";
  RunOptions o = PostgresOptions("leases", "client-pause");
  o.options.Set("fencing", false);
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kInvalid) << Explain(r);
  bool l3 = false;
  for (const Violation& v : Violations(r)) l3 = l3 || v.kind == "L3";
  EXPECT_TRUE(l3) << Explain(r);
  ExpectHostsClean();
}

TEST_F(RemoteHosts, PostgresCtrlCLeavesNothingOnItsHost) {
  if (!HavePostgres()) GTEST_SKIP() << "PostgreSQL's server is not installed";
  const pid_t pid = StartRun(
      {"workload=register", "nemesis=pause,partition", "nemesis-interval=0.5", "time-limit=60"},
      "postgres");
  const std::string data = AwaitPostgres(30);
  ASSERT_FALSE(data.empty()) << "the server should be running by now";
  ASSERT_FALSE(ProcessesWorkingIn(data).empty());
  std::this_thread::sleep_for(std::chrono::seconds(3));  // faults in force
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0) << "an interrupted run exits non-zero";
  ExpectHostsClean();
  EXPECT_TRUE(SegmentsLeft(data).empty()) << Lines(SegmentsOf(data));
  EXPECT_FALSE(std::filesystem::exists(data + ".sock"));
}

// A Ctrl-C while the run connects, runs initdb there and starts the server: nothing is left.
TEST_F(RemoteHosts, PostgresCtrlCWhileStartingLeavesNothingOnItsHost) {
  if (!HavePostgres()) GTEST_SKIP() << "PostgreSQL's server is not installed";
  const pid_t pid = StartRun({"workload=register", "nemesis=kill", "time-limit=60"}, "postgres");
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  ASSERT_EQ(::kill(pid, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0);
  ExpectHostsClean();
  std::error_code none;
  int runs = 0;  // the run reached the host before the Ctrl-C
  for (const auto& run : std::filesystem::directory_iterator(fleet_->dir() + "/remote", none)) {
    if (!run.is_directory()) continue;
    ++runs;
    EXPECT_TRUE(SegmentsLeft(run.path().string() + "/n1").empty())
        << Lines(SegmentsOf(run.path().string() + "/n1"));
  }
  EXPECT_EQ(runs, 1);
}

// The server's clock on its host at x4 (libfaketime through the node's keeper, across unshare and
// setpriv to the postgres user's server): leases granted twice (L1) while fencing holds, as
// locally (tests/e2e/postgres_test.cc).
TEST_F(RemoteHosts, PostgresServerClockRunningFastOnItsHostGrantsLeasesTwice) {
  if (!HavePostgres()) GTEST_SKIP() << "PostgreSQL's server is not installed";
  if (!systems::LibFaketime().ok()) GTEST_SKIP() << systems::LibFaketime().message();
  ExpectLeasesGrantedTwiceUnderAFastClock(PostgresOptions("leases", "clock"));
}

// A control node killed outright: the keeper takes the server along, but its SysV segment (which
// outlives a SIGKILL) stays until the next run against the host removes it in its setup.
TEST_F(RemoteHosts, PostgresSegmentsOfAKilledControlNodeGoWithTheNextRun) {
  if (!HavePostgres()) GTEST_SKIP() << "PostgreSQL's server is not installed";
  const pid_t pid = StartRun({"workload=register", "nemesis=none", "time-limit=60"}, "postgres");
  const std::string data = AwaitPostgres(30);
  ASSERT_FALSE(data.empty()) << "the server should be running by now";
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ASSERT_EQ(::waitpid(pid, nullptr, 0), pid);
  EXPECT_TRUE(HostsCleanWithin(15)) << "a keeper or the server outlived the control node";
  ASSERT_FALSE(SegmentsOf(data).empty()) << "a SIGKILLed server leaves its segment";
  RunOptions o = PostgresOptions("register", "none");
  o.time_limit_s = 1;
  RunReport r = MustRun(o);
  EXPECT_EQ(r.verdict, checker::Verdict::kValid) << Explain(r);
  EXPECT_TRUE(SegmentsOf(data).empty()) << Lines(SegmentsOf(data));
  ExpectHostsClean();
}

}  // namespace
}  // namespace jepsen::runner
