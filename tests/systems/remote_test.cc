// The pieces a run uses on remote hosts: short commands, jepsen-keeper driven
// through its session (locally, then over SSH), and SshHost against a fleet of
// namespaces running OpenSSH's server (tests/support/fleet.h).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "systems/clock/fake_clock.h"
#include "systems/disk/node_disk.h"
#include "systems/remote/command.h"
#include "systems/remote/host_firewall.h"
#include "systems/remote/hosts.h"
#include "systems/remote/remote_process.h"
#include "systems/remote/ssh_host.h"
#include "tests/support/fleet.h"

namespace jepsen::systems::remote {
namespace {

const std::string kKeeper = JEPSEN_KEEPER;
const std::string kDiskfs = JEPSEN_DISKFS;

std::string ProcessState(int pid);

// Running or stopped; a zombie waiting for init to reap it is gone.
bool Alive(int pid) {
  return pid > 0 && ::kill(pid, 0) == 0 && ProcessState(pid) != "Z" && ProcessState(pid) != "";
}

// Waits until `pid` is gone (reaped by whoever is its parent).
bool GoneWithin(int pid, double seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (!Alive(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::string ProcessState(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size() ? "" : text.substr(paren + 2, 1);
}

class UvLoop : public ::testing::Test {
 protected:
  void SetUp() override { uv_loop_init(&loop_); }
  void TearDown() override {
    uv_run(&loop_, UV_RUN_DEFAULT);  // reap and close everything
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }
  uv_loop_t loop_;
};

TEST(RunCommand, CapturesOutputExitCodeAndInput) {
  Result<CommandOutput> r = RunCommand({"sh", "-c", "cat; echo err >&2; exit 3"}, "in\n", 5);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_EQ(r->out, "in\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(r->timed_out);
}

TEST(RunCommand, ATimeoutKillsTheCommandsWholeGroup) {
  const auto start = std::chrono::steady_clock::now();
  Result<CommandOutput> r = RunCommand({"sh", "-c", "sleep 30 & echo $!; wait"}, "", 0.3);
  ASSERT_TRUE(r.ok()) << r.message();
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->exit_code, -1);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 5);
  EXPECT_TRUE(GoneWithin(std::atoi(r->out.c_str()), 2)) << "the sleep it started outlived it";
}

Result<Hosts> Given(const std::map<std::string, std::string>& given) {
  options::Values values(HostOptions());
  for (const auto& [name, value] : given) values.Set(name, value);
  return HostsFrom(values);
}

TEST(Hosts, AListAFileAndTheirMistakes) {
  Result<Hosts> none = Given({});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->remote()) << "no hosts: every node here";
  Result<Hosts> listed = Given({{"hosts", "a,root@b,ssh://c:2222"}, {"ssh-opts", "-o  A=1 -4"}});
  ASSERT_TRUE(listed.ok()) << listed.message();
  EXPECT_EQ(listed->names, (std::vector<std::string>{"a", "root@b", "ssh://c:2222"}));
  ASSERT_EQ(listed->ssh.size(), 3u);
  EXPECT_EQ(listed->ssh[2].extra, (std::vector<std::string>{"-o", "A=1", "-4"}));
  EXPECT_EQ(listed->dir, "/tmp/jepsen");
  EXPECT_NE(Given({{"hosts", "a,,b"}}).message().find("an empty host name"), std::string::npos);
  EXPECT_NE(Given({{"hosts", "a"}, {"remote-dir", "rel"}}).message().find("remote-dir: 'rel'"),
            std::string::npos);
  const std::string file = ::testing::TempDir() + "/hosts-" + std::to_string(::getpid());
  std::ofstream(file) << "# the lab\ndb1\n\n  admin@db2   # the second\nssh://db3:2200\n";
  Result<Hosts> from_file = Given({{"hosts", "@" + file}});
  ASSERT_TRUE(from_file.ok()) << from_file.message();
  EXPECT_EQ(from_file->names, (std::vector<std::string>{"db1", "admin@db2", "ssh://db3:2200"}));
  // A line's own user, port and key over the ssh-* options; the rest from them.
  std::ofstream(file) << "db1\ndb2 user=admin port=2222 key=/k2\ndb3 ssh-port=22\n";
  Result<Hosts> settings = Given({{"hosts", "@" + file}, {"ssh-user", "ops"}, {"ssh-key", "/k"}});
  ASSERT_TRUE(settings.ok()) << settings.message();
  ASSERT_EQ(settings->ssh.size(), 3u);
  EXPECT_EQ(settings->ssh[0].user, "ops");
  EXPECT_EQ(settings->ssh[0].port, 0);
  EXPECT_EQ(settings->ssh[1].user, "admin");
  EXPECT_EQ(settings->ssh[1].port, 2222);
  EXPECT_EQ(settings->ssh[1].identity, "/k2");
  EXPECT_EQ(settings->ssh[2].identity, "/k");
  EXPECT_EQ(settings->ssh[2].port, 22);
  std::ofstream(file) << "db1\ndb2 port=ssh\n";
  EXPECT_NE(
      Given({{"hosts", "@" + file}}).message().find(file + ":2: hosts: port=ssh is not a port"),
      std::string::npos);
  std::ofstream(file) << "db1 jump=bastion\n";
  EXPECT_NE(Given({{"hosts", "@" + file}})
                .message()
                .find(file + ":1: hosts: 'jump=bastion' after 'db1' is not user=, port= or key="),
            std::string::npos);
  std::remove(file.c_str());
  EXPECT_NE(Given({{"hosts", "@" + file}}).message().find("cannot read " + file),
            std::string::npos);
}

TEST(ShellWord, QuotesWhatTheShellWouldSplit) {
  EXPECT_EQ(ShellWord("/a/b-c_d.e"), "/a/b-c_d.e");
  EXPECT_EQ(ShellWord("a b"), "'a b'");
  EXPECT_EQ(ShellWord("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellWord(""), "''");
}

// The keeper driven through a local session: what runs over SSH, without SSH.
TEST_F(UvLoop, KeeperStartsKillsPausesAndRestartsTheNodesGroup) {
  const std::string log = ::testing::TempDir() + "/keeper-" + std::to_string(::getpid()) + ".log";
  RemoteProcess node(&loop_,
                     {kKeeper, "--log", log, "--", "sh", "-c", "sleep 60 & echo child $!; wait"},
                     "local", log);
  ASSERT_TRUE(node.Start().ok());
  ASSERT_TRUE(node.running());
  const int pid = node.pid();
  ASSERT_TRUE(Alive(pid));
  ASSERT_TRUE(node.Pause().ok());
  EXPECT_TRUE(node.paused());
  EXPECT_EQ(ProcessState(pid), "T");
  ASSERT_TRUE(node.Resume().ok());
  EXPECT_NE(ProcessState(pid), "T");
  ASSERT_TRUE(node.Kill().ok());
  EXPECT_FALSE(node.running());
  EXPECT_FALSE(Alive(pid)) << "kill answers once the node is reaped";
  // The child the shell started went with the group.
  std::ifstream in(log);
  std::string word;
  int child = 0;
  while (in >> word) {
    if (word == "child") in >> child;
  }
  EXPECT_TRUE(GoneWithin(child, 2));
  ASSERT_TRUE(node.Start().ok());  // a restart
  EXPECT_TRUE(node.running());
  EXPECT_NE(node.pid(), pid);
  std::remove(log.c_str());
}

TEST_F(UvLoop, KeeperTellsOfAnExitAndItsSessionsEndKillsTheNode) {
  RemoteProcess short_lived(&loop_, {kKeeper, "--", "sh", "-c", "sleep 0.2"}, "local", "/dev/null");
  ASSERT_TRUE(short_lived.Start().ok());
  EXPECT_TRUE(short_lived.running());
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_FALSE(short_lived.running()) << "the keeper told of the exit";

  RemoteProcess node(&loop_, {kKeeper, "--", "sleep", "60"}, "local", "/dev/null");
  ASSERT_TRUE(node.Start().ok());
  const int pid = node.pid();
  node.Close();  // as when the SSH session ends
  EXPECT_TRUE(GoneWithin(pid, 5)) << "the node outlived its keeper's session";
}

TEST_F(UvLoop, KeeperSaysWhyACommandCannotStart) {
  RemoteProcess node(&loop_, {kKeeper, "--", "/nonexistent/program"}, "host x", "/dev/null");
  Status s = node.Start();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("host x: cannot run /nonexistent/program: No such file"),
            std::string::npos)
      << s.message();
}

// The last line of `file` as a number (0 when it has none yet).
double LastNumber(const std::string& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last.empty() ? 0 : std::atof(last.c_str());
}

double RealNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A node's clock on a host is faked by its keeper there as a local node's is here: the node
// (a shell writing `date` every 50 ms) reads the step at its next clock read, and real time
// again after the reset.
TEST_F(UvLoop, KeeperFakesItsNodesClock) {
  if (Result<std::string> lib = LibFaketime(); !lib.ok()) GTEST_SKIP() << lib.message();
  const std::string dir = std::filesystem::temp_directory_path() /
                          ("jepsen-keeper-clock-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string times = dir + "/times";
  RemoteProcess node(&loop_,
                     {kKeeper, "--clock", dir + "/n1.faketime", "--", "sh", "-c",
                      "while :; do date +%s >> " + times + "; sleep 0.05; done"},
                     "local", "/dev/null");
  ASSERT_TRUE(node.Start().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the loader has mapped it
  Result<ClockSetting> skewed = node.SkewClock(1000, 1);
  ASSERT_TRUE(skewed.ok()) << skewed.message();
  EXPECT_NEAR(skewed->offset_s, 1000, 0.01);
  EXPECT_EQ(skewed->rate, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_NEAR(LastNumber(times), RealNow() + 1000, 3) << "the node's clock did not move";
  Result<ClockSetting> before = node.ResetClock();
  ASSERT_TRUE(before.ok()) << before.message();
  EXPECT_NEAR(before->offset_s, 1000, 0.01) << "the reset answers the setting it replaced";
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_NEAR(LastNumber(times), RealNow(), 3) << "the node's clock is not real time again";
  node.Close();
  std::filesystem::remove_all(dir);
}

// A node that does not read time through libfaketime (here one that clears LD_PRELOAD before
// it execs) would have a clock fault counted and never felt: the keeper refuses it; and a keeper
// without --clock too.
TEST_F(UvLoop, KeeperRefusesAClockFaultItCannotInject) {
  if (Result<std::string> lib = LibFaketime(); !lib.ok()) GTEST_SKIP() << lib.message();
  const std::string file = std::filesystem::temp_directory_path() /
                           ("jepsen-keeper-unloaded-" + std::to_string(::getpid()) + ".faketime");
  RemoteProcess unloaded(&loop_,
                         {kKeeper, "--clock", file, "--", "env", "-u", "LD_PRELOAD", "sleep", "60"},
                         "host x", "/dev/null");
  ASSERT_TRUE(unloaded.Start().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // env has exec'd sleep
  Result<ClockSetting> refused = unloaded.SkewClock(5, 1);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("host x: its process (pid"), std::string::npos)
      << refused.message();
  EXPECT_NE(refused.message().find("has no libfaketime loaded"), std::string::npos)
      << refused.message();
  unloaded.Close();
  std::remove(file.c_str());

  RemoteProcess plain(&loop_, {kKeeper, "--", "sleep", "60"}, "host y", "/dev/null");
  ASSERT_TRUE(plain.Start().ok());
  EXPECT_FALSE(plain.SkewClock(5, 1).ok());
}

bool AnyProcessMentions(const std::string& text) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline.find(text) != std::string::npos &&
        ProcessState(std::atoi(entry.path().filename().c_str())) != "Z") {
      return true;
    }
  }
  return false;
}

bool Mounted(const std::string& path) {
  std::ifstream mounts("/proc/mounts");
  for (std::string device, point, rest; mounts >> device >> point && std::getline(mounts, rest);) {
    if (point == path) return true;
  }
  return false;
}

// jepsen-diskfs on a host, kept by a keeper: its control channel relayed (a power loss drops
// the unsynced file), and the mount detached when the keeper's session ends.
TEST_F(UvLoop, KeeperKeepsAFilesystemRelaysItsControlAndDetachesIt) {
  if (std::string why = WhyNoDisks(); !why.empty()) GTEST_SKIP() << why;
  const std::string dir =
      std::filesystem::temp_directory_path() / ("jepsen-keeper-disk-" + std::to_string(::getpid()));
  const std::string mount = dir + "/n1", backing = dir + "/n1.disk";
  std::filesystem::create_directories(mount);
  std::filesystem::create_directories(backing);
  const std::string control = "@jepsen-keeper-test-" + std::to_string(::getpid());
  Result<std::unique_ptr<NodeDisk>> disk = NodeDisk::MountOnHost(
      std::make_unique<RemoteProcess>(
          &loop_,
          std::vector<std::string>{kKeeper, "--unmount", mount, "--control", control, "--", kDiskfs,
                                   backing, mount, "--control", control},
          "host x (n1's disk)", "/dev/null"),
      mount);
  ASSERT_TRUE(disk.ok()) << disk.message();
  EXPECT_TRUE(Mounted(mount));
  std::ofstream(mount + "/unsynced") << "lost at the power loss";
  ASSERT_TRUE(std::filesystem::exists(mount + "/unsynced"));
  Result<LostWrites> lost = (*disk)->PowerLoss(0, std::nullopt);
  ASSERT_TRUE(lost.ok()) << lost.message();
  EXPECT_EQ(lost->files, std::vector<std::string>({"unsynced"}));
  EXPECT_EQ(std::filesystem::file_size(mount + "/unsynced"), 0u) << "its data outlived the loss";
  (*disk)->Unmount();
  EXPECT_FALSE(Mounted(mount)) << "the keeper left the filesystem mounted";
  EXPECT_FALSE(AnyProcessMentions(control)) << "the filesystem outlived its keeper";
  std::filesystem::remove_all(dir);
}

class FleetTest : public UvLoop {
 protected:
  void SetUp() override {
    UvLoop::SetUp();
    Result<std::unique_ptr<testing::Fleet>> fleet = testing::Fleet::Start(&loop_, 2);
    if (!fleet.ok()) GTEST_SKIP() << "no fleet of SSH hosts here: " << fleet.message();
    fleet_ = std::move(*fleet);
  }
  void TearDown() override {
    fleet_.reset();
    UvLoop::TearDown();
  }
  Result<std::unique_ptr<SshHost>> Connect(const std::string& host) {
    return SshHost::Connect(&loop_, host, fleet_->ssh_options(), fleet_->dir(),
                            fleet_->dir() + "/ssh.log", 10);
  }
  std::unique_ptr<testing::Fleet> fleet_;
};

TEST_F(FleetTest, RunsCommandsAndUploadsOverOneConnection) {
  Result<std::unique_ptr<SshHost>> h = Connect(fleet_->hosts()[1]);
  ASSERT_TRUE(h.ok()) << h.message();
  Result<std::string> where = (*h)->Run("ip -4 -o addr show | grep -c " + fleet_->hosts()[1], 10);
  ASSERT_TRUE(where.ok()) << where.message();
  EXPECT_EQ(*where, "1\n") << "the command ran on the host, in its network";
  Result<std::string> failed = (*h)->Run("echo no >&2; exit 4", 10);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(
      failed.message().find("host " + fleet_->hosts()[1] + ": `echo no >&2; exit 4` exited 4: no"),
      std::string::npos)
      << failed.message();
  const std::string remote = fleet_->dir() + "/uploaded keeper";
  ASSERT_TRUE((*h)->Upload(kKeeper, remote).ok());
  EXPECT_EQ(std::filesystem::file_size(remote), std::filesystem::file_size(kKeeper));
  EXPECT_EQ(::access(remote.c_str(), X_OK), 0);
  // Each command after the first is a session over the master: a round trip, not a handshake.
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((*h)->Run("true", 10).ok());
  const double each =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 10;
  EXPECT_LT(each, 0.5);
  RecordProperty("ssh_command_ms", std::to_string(each * 1000));
}

TEST_F(FleetTest, ANodeKeptOverSshIsKilledPausedAndGoesWithTheConnection) {
  Result<std::unique_ptr<SshHost>> h = Connect(fleet_->hosts()[0]);
  ASSERT_TRUE(h.ok()) << h.message();
  const std::string keeper = fleet_->dir() + "/jepsen-keeper";
  ASSERT_TRUE((*h)->Upload(kKeeper, keeper).ok());
  RemoteProcess node(&loop_, (*h)->Argv("exec " + keeper + " -- sleep 60"),
                     "host " + fleet_->hosts()[0], fleet_->dir() + "/ssh.log");
  ASSERT_TRUE(node.Start().ok());
  const int pid = node.pid();  // the same machine: the host's pid is ours to see
  ASSERT_TRUE(Alive(pid));
  ASSERT_TRUE(node.Pause().ok());
  EXPECT_EQ(ProcessState(pid), "T");
  ASSERT_TRUE(node.Resume().ok());
  ASSERT_TRUE(node.Kill().ok());
  EXPECT_FALSE(Alive(pid));
  ASSERT_TRUE(node.Start().ok());
  const int again = node.pid();
  ASSERT_TRUE(Alive(again));
  (*h)->Close();  // the control node's connection goes: the keeper and its node go with it
  EXPECT_TRUE(GoneWithin(again, 10)) << "the node outlived the SSH connection";
}

TEST_F(FleetTest, AnUnreachableHostIsAnErrorNamingIt) {
  fleet_->StopServer(1);
  for (int i = 0; i < 20; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  Result<std::unique_ptr<SshHost>> h = Connect(fleet_->hosts()[1]);
  ASSERT_FALSE(h.ok());
  EXPECT_NE(h.message().find("host " + fleet_->hosts()[1] + ": "), std::string::npos)
      << h.message();
  EXPECT_NE(h.message().find("Connection refused"), std::string::npos) << h.message();
}

// Whether a TCP connection to address:port from `from` (a host, or null: the test, as the
// control node) is accepted within a second.
bool Reaches(SshHost* from, const std::string& address, int port) {
  const std::string probe = "python3 -c 'import socket; socket.create_connection((\"" + address +
                            "\", " + std::to_string(port) + "), 1)'";
  if (from != nullptr) return from->Run(probe, 10).ok();
  Result<CommandOutput> r = RunCommand({"sh", "-c", probe}, "", 10);
  return r.ok() && r->exit_code == 0;
}

TEST_F(FleetTest, TheHostsFirewallPartsHostsAndTheControlNodeButNeverSsh) {
  if (::access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "python3 is not installed";
  Result<std::unique_ptr<SshHost>> h1 = Connect(fleet_->hosts()[0]);
  Result<std::unique_ptr<SshHost>> h2 = Connect(fleet_->hosts()[1]);
  ASSERT_TRUE(h1.ok() && h2.ok());
  const std::string a1 = fleet_->hosts()[0], a2 = fleet_->hosts()[1];
  // A listener on host 1, kept there by jepsen-keeper.
  const std::string keeper = fleet_->dir() + "/jepsen-keeper";
  ASSERT_TRUE((*h1)->Upload(kKeeper, keeper).ok());
  RemoteProcess server(
      &loop_, (*h1)->Argv("exec " + keeper + " -- python3 -m http.server 7000 --bind " + a1), "h1",
      "/dev/null");
  ASSERT_TRUE(server.Start().ok());
  bool up = false;
  for (int i = 0; i < 50 && !up; ++i) {
    up = Reaches(nullptr, a1, 7000);
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(up);
  // The control node's address as the hosts see it: the test's own, in the clients' namespace.
  Result<std::string> seen = (*h1)->Run("echo ${SSH_CONNECTION%% *}", 10);
  ASSERT_TRUE(seen.ok());
  std::string control = *seen;
  control.pop_back();
  // The nft commands go through each node's keeper: host 2's keeps a sleep.
  ASSERT_TRUE((*h2)->Upload(kKeeper, keeper + "2").ok());
  RemoteProcess sleeper(&loop_, (*h2)->Argv("exec " + keeper + "2 -- sleep 600"), "h2",
                        "/dev/null");
  ASSERT_TRUE(sleeper.Start().ok());
  HostFirewall firewall({{"n1", &server, a1, control, 22}, {"n2", &sleeper, a2, control, 22}},
                        "jepsen-run-test");
  ASSERT_TRUE(Reaches(h2->get(), a1, 7000));
  ASSERT_TRUE(firewall.Partition({{"n1", {"n2"}}, {"n2", {"n1"}}}).ok());
  EXPECT_FALSE(Reaches(h2->get(), a1, 7000)) << "n2 still reaches n1 across the partition";
  EXPECT_TRUE(Reaches(nullptr, a1, 7000)) << "the clients were not in the grudge";
  ASSERT_TRUE(firewall.Partition({{"n1", {Network::kClients}}}).ok());  // replaces the first
  EXPECT_FALSE(Reaches(nullptr, a1, 7000)) << "the control node still reaches n1";
  EXPECT_TRUE(Reaches(h2->get(), a1, 7000)) << "the new partition did not replace the old";
  EXPECT_TRUE((*h1)->Run("true", 10).ok()) << "SSH to a host cut off from the control node broke";
  ASSERT_TRUE(firewall.Heal().ok());
  EXPECT_TRUE(Reaches(nullptr, a1, 7000));
  Status lossy = firewall.SetLoss("n1", 100);
  ASSERT_TRUE(lossy.ok()) << lossy.message();
  EXPECT_FALSE(Reaches(nullptr, a1, 7000)) << "a link losing every packet passed one";
  EXPECT_TRUE((*h1)->Run("true", 10).ok()) << "a lossy link dropped SSH";
  firewall.Remove();
  EXPECT_TRUE(Reaches(nullptr, a1, 7000));
  EXPECT_EQ(fleet_->OnHost(0, "nft list tables | grep -c jepsen-run-test || true"), "0\n");
  EXPECT_FALSE(firewall.SetRate("n1", 64).ok()) << "slow links are not carried out on hosts";
}

}  // namespace
}  // namespace jepsen::systems::remote
