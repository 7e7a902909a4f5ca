// system=postgres with its node on a host over SSH (a stand-in host of tests/support/fleet.h,
// skipped without sshd or PostgreSQL): a pause stops every process of the server there, not only
// the postmaster's group the keeper holds; a server that exits by itself is reported down and
// stays down until restarted (the keeper restarts nothing); teardown leaves no SysV segment and
// no socket directory on the host. The fleet's hosts share this machine's PID and IPC
// namespaces and filesystem, so the test looks at the host's processes and segments directly.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "systems/postgres/postgres_system.h"
#include "tests/support/fleet.h"

namespace jepsen::systems::postgres {
namespace {

namespace fs = std::filesystem;
using history::EventType;

char StateOf(int pid) {  // 'T': stopped; 0: gone
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  const size_t paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() ? 0 : stat[paren + 2];
}

class PostgresOnAHost : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Result<std::string> bin = FindPostgres(); !bin.ok()) GTEST_SKIP() << bin.message();
    uv_loop_init(&loop_);
    Result<std::unique_ptr<testing::Fleet>> fleet = testing::Fleet::Start(&loop_, 1);
    if (!fleet.ok()) GTEST_SKIP() << "no fleet of SSH hosts here: " << fleet.message();
    fleet_ = std::move(*fleet);
    remote::Hosts hosts;
    hosts.names = fleet_->hosts();
    hosts.ssh = {fleet_->ssh_options()};
    hosts.dir = fleet_->dir() + "/remote";
    hosts.port = 7000;
    system_ = std::make_unique<PostgresSystem>(PostgresSystem::Options{}, std::move(hosts));
    SetupContext c;
    c.loop = &loop_;
    c.workload = "register";
    c.data_dir = fleet_->dir() + "/store/run1/data";  // the run is named by its directory
    c.log_path = fleet_->dir() + "/run.log";
    c.binary_dir = fs::path(JEPSEN_KEEPER).parent_path().string();
    fs::create_directories(c.data_dir);
    Status s = system_->Setup(c);
    ASSERT_TRUE(s.ok()) << s.message();
    s = system_->AwaitReady(30);
    ASSERT_TRUE(s.ok()) << s.message();
    client_ = system_->NewClient(0);
    data_ = fleet_->dir() + "/remote/run1/n1";  // on the host
  }
  void TearDown() override {
    Stop();
    fleet_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
  }
  void Stop() {
    client_.reset();
    if (system_) system_->Teardown();
    system_.reset();
  }
  std::optional<Completion> Call(const std::string& f, const Json& value, int ms = 5000) {
    std::optional<Completion> out;
    client_->Invoke({f, 1, value, 0}, [&out](Completion c) { out = std::move(c); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!out && std::chrono::steady_clock::now() < deadline) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return out;
  }
  // The segment the server made (postmaster.pid's 7th line: key and id), or -1.
  int SegmentId() const {
    std::ifstream in(data_ + "/postmaster.pid");
    std::string line;
    for (int i = 0; i < 7; ++i) std::getline(in, line);
    long key = 0;
    int id = -1;
    std::istringstream(line) >> key >> id;
    return id;
  }

  uv_loop_t loop_;
  std::unique_ptr<testing::Fleet> fleet_;
  std::unique_ptr<PostgresSystem> system_;
  std::unique_ptr<Client> client_;
  std::string data_;
};

TEST_F(PostgresOnAHost, APauseStopsEveryProcessOfTheServerThere) {
  std::optional<Completion> wrote = Call("write", 1);
  ASSERT_TRUE(wrote && wrote->type == EventType::kOk) << (wrote ? wrote->error : "no reply");
  const std::vector<int> processes = Descendants(system_->ProcessGroup("n1"));
  ASSERT_GE(processes.size(), 3u);  // the postmaster, its helpers and this client's backend
  ASSERT_TRUE(system_->Pause("n1").ok());
  for (int pid : processes) {
    for (int i = 0; i < 200 && StateOf(pid) != 'T'; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(StateOf(pid), 'T') << "process " << pid << " runs on";
  }
  EXPECT_FALSE(Call("read", nullptr, 500).has_value()) << "a paused node answered";
  ASSERT_TRUE(system_->Resume("n1").ok());
  for (int pid : processes) EXPECT_NE(StateOf(pid), 'T') << "process " << pid << " stays stopped";
  std::optional<Completion> read = Call("read", nullptr);
  ASSERT_TRUE(read && read->type == EventType::kOk) << (read ? read->error : "no reply");
  EXPECT_EQ(read->value, Json(1));
}

// jepsen-keeper reports the exit and restarts nothing (locally the run restarts it: docs).
TEST_F(PostgresOnAHost, AServerThatExitsByItselfStaysDownUntilRestarted) {
  const int group = system_->ProcessGroup("n1");
  const std::vector<int> processes = Descendants(group);
  ASSERT_FALSE(processes.empty());
  ASSERT_EQ(::kill(processes.front(), SIGQUIT), 0);  // the postmaster: an immediate shutdown
  for (int i = 0; i < 200 && system_->Up(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_FALSE(system_->Up()) << "the exit was not seen";
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // twice a local restart's delay
  EXPECT_FALSE(system_->Up()) << "restarted by itself";
  ASSERT_TRUE(system_->Restart("n1").ok());
  std::optional<Completion> read;
  for (int i = 0; i < 100 && !(read && read->type == EventType::kOk); ++i) {
    read = Call("read", nullptr);
  }
  ASSERT_TRUE(read && read->type == EventType::kOk) << (read ? read->error : "no reply");
}

TEST_F(PostgresOnAHost, TeardownLeavesNoSegmentNorSocketThere) {
  const int id = SegmentId();
  ASSERT_GE(id, 0);
  struct shmid_ds info;
  ASSERT_EQ(::shmctl(id, IPC_STAT, &info), 0);
  ASSERT_TRUE(fs::exists(data_ + ".sock/.s.PGSQL.7000"));
  Stop();
  for (int i = 0; i < 400 && ::shmctl(id, IPC_STAT, &info) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_NE(::shmctl(id, IPC_STAT, &info), 0) << "segment " << id << " outlived the run";
  EXPECT_FALSE(fs::exists(data_ + ".sock"));
  EXPECT_TRUE(fs::exists(data_ + "/PG_VERSION")) << "the data stays for a post-mortem";
}

}  // namespace
}  // namespace jepsen::systems::postgres
