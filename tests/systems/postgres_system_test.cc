// system=postgres against a real server (skipped without PostgreSQL's server programs): the
// workloads' statements do what docs/refstore-protocol.md's table says, leases run out by the
// server's clock (libfaketime's, when the run fakes it), a pause stops every process of the
// node and a kill ends them all, and teardown leaves no shared memory or socket behind.
#include "systems/postgres/postgres_system.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/shm.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "systems/clock/fake_clock.h"
#include "systems/postgres/pg_client.h"
#include "systems/remote/command.h"

namespace jepsen::systems::postgres {
namespace {

namespace fs = std::filesystem;
using history::EventType;

// The state letter of /proc/<pid>/stat ('T': stopped), or 0 when it is gone.
char StateOf(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  const size_t paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() ? 0 : stat[paren + 2];
}

// A host's check finds the programs FindPostgres finds here, and names what a host lacks.
TEST(PostgresHostProbe, FindsTheServerAsHereAndNamesWhatIsMissing) {
  Result<std::string> bin = FindPostgres();
  if (!bin.ok()) GTEST_SKIP() << bin.message();
  if (::geteuid() != 0) GTEST_SKIP() << "a host's check asks for root";
  Result<remote::CommandOutput> found = remote::RunCommand({"sh", "-c", HostProbe()}, "", 10);
  ASSERT_TRUE(found.ok()) << found.message();
  EXPECT_EQ(found->exit_code, 0) << found->err;
  EXPECT_EQ(found->out, *bin + "\n");
  // A PATH with every program the check runs but util-linux's unshare.
  const fs::path path = fs::temp_directory_path() / ("pg_probe_" + std::to_string(::getpid()));
  fs::create_directories(path);
  for (const std::string program : {"ls", "sort", "id", "pg_config", "setpriv", "ipcrm"}) {
    Result<remote::CommandOutput> where =
        remote::RunCommand({"sh", "-c", "command -v " + program}, "", 5);
    ASSERT_TRUE(where.ok() && where->exit_code == 0) << program;
    fs::create_symlink(where->out.substr(0, where->out.find('\n')), path / program);
  }
  Result<remote::CommandOutput> lacking =
      remote::RunCommand({"env", "PATH=" + path.string(), "/bin/sh", "-c", HostProbe()}, "", 10);
  fs::remove_all(path);
  ASSERT_TRUE(lacking.ok()) << lacking.message();
  EXPECT_EQ(lacking->exit_code, 3);
  EXPECT_EQ(lacking->out, "");
  EXPECT_NE(lacking->err.find("no unshare on PATH (util-linux)"), std::string::npos)
      << lacking->err;
}

class PostgresNode : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Result<std::string> bin = FindPostgres(); !bin.ok()) GTEST_SKIP() << bin.message();
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    static int tests = 0;  // short: the node's Unix socket path must fit in 107 bytes
    dir_ = fs::temp_directory_path() /
           ("pg_test_" + std::to_string(::getpid()) + "_" + std::to_string(++tests));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // As `mktemp -d` or /root make it: only root may enter, not the postgres user.
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace);
  }

  void Start(const std::string& workload, PostgresSystem::Options options = {},
             bool clocks = false) {
    system_ = std::make_unique<PostgresSystem>(options);
    SetupContext c;
    c.loop = &loop_;
    c.workload = workload;
    data_ = dir_ / ("data" + std::to_string(++starts_));  // a fresh one for each start
    c.data_dir = data_.string();
    c.log_path = (dir_ / "run.log").string();
    c.clocks = clocks;
    fs::create_directories(c.data_dir);
    Status s = system_->Setup(c);
    ASSERT_TRUE(s.ok()) << s.message();
    s = system_->AwaitReady(30);
    ASSERT_TRUE(s.ok()) << s.message();
    client_ = system_->NewClient(0);
  }

  void TearDown() override {
    Stop();
    if (!dir_.empty()) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      uv_loop_close(&loop_);
      fs::remove_all(dir_);
    }
  }

  // Tears the system down as a run does, and turns the loop until its processes are reaped.
  void Stop() {
    client_.reset();
    if (system_) {
      system_->Teardown();
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (uv_run(&loop_, UV_RUN_NOWAIT) != 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      system_.reset();
    }
  }

  // Runs the loop until the op completes; nullopt when it did not within `ms`.
  std::optional<Completion> Call(const std::string& f, const Json& key, const Json& value,
                                 int ms = 5000) {
    std::optional<Completion> out;
    client_->Invoke({f, key, value, 0}, [&out](Completion c) { out = std::move(c); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!out && std::chrono::steady_clock::now() < deadline) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return out;
  }

  Completion Must(const std::string& f, const Json& key, const Json& value) {
    std::optional<Completion> c = Call(f, key, value);
    EXPECT_TRUE(c.has_value()) << f << " did not complete";
    return c.value_or(Completion{EventType::kInfo, nullptr, "did not complete"});
  }

  // A blocking connection of the test's own to the node, for a query the workloads do not make.
  std::string Query(const std::string& sql) {
    const std::string conninfo =
        "hostaddr=127.0.0.1 port=" + std::to_string(Port()) + " user=postgres dbname=postgres";
    PGconn* conn = PQconnectdb(conninfo.c_str());
    std::string out;
    if (PQstatus(conn) == CONNECTION_OK) {
      PGresult* r = PQexec(conn, sql.c_str());
      if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) out = PQgetvalue(r, 0, 0);
      PQclear(r);
    }
    PQfinish(conn);
    return out;
  }

  int Port() const {
    std::ifstream in(data_ / "n1" / "postmaster.pid");
    std::string line;
    for (int i = 0; i < 4; ++i) std::getline(in, line);
    return std::atoi(line.c_str());
  }

  uv_loop_t loop_;
  fs::path dir_;
  fs::path data_;  // the data_dir of the last start
  int starts_ = 0;
  std::unique_ptr<PostgresSystem> system_;
  std::unique_ptr<Client> client_;
};

TEST_F(PostgresNode, LeasesAreGrantedOnceFencedByTokenAndHandedOnAfterARelease) {
  Start("leases");
  const Completion first = Must("acquire", "r", {{"ttl_ms", 10000}});
  ASSERT_EQ(first.type, EventType::kOk) << first.error;
  EXPECT_EQ(first.value, Json({{"token", 1}}));
  const Completion held = Must("acquire", "r", {{"ttl_ms", 10000}});
  EXPECT_EQ(held.type, EventType::kFail);
  EXPECT_EQ(held.error, "held");
  EXPECT_EQ(Must("renew", "r", {{"token", 2}, {"ttl_ms", 10000}}).type, EventType::kFail);
  EXPECT_EQ(Must("renew", "r", {{"token", 1}, {"ttl_ms", 10000}}).type, EventType::kOk);
  EXPECT_EQ(Must("write", "r", {{"token", 1}, {"value", 5}}).type, EventType::kOk);
  EXPECT_EQ(Must("release", "r", {{"token", 1}}).type, EventType::kOk);
  EXPECT_EQ(Must("release", "r", {{"token", 1}}).type, EventType::kFail) << "released already";
  const Completion second = Must("acquire", "r", {{"ttl_ms", 10000}});
  EXPECT_EQ(second.value, Json({{"token", 2}}));
  EXPECT_EQ(Must("write", "r", {{"token", 2}, {"value", 6}}).type, EventType::kOk);
  const Completion stale = Must("write", "r", {{"token", 1}, {"value", 7}});
  EXPECT_EQ(stale.type, EventType::kFail);
  EXPECT_EQ(stale.error, "stale token");
  EXPECT_EQ(Must("read", "r", nullptr).value, Json({{"token", 2}, {"value", 6}}));
  EXPECT_TRUE(Must("read", "other", nullptr).value.is_null());
}

TEST_F(PostgresNode, UnfencedTheResourceTakesAStaleWrite) {
  PostgresSystem::Options o;
  o.fencing = false;
  Start("leases", o);
  EXPECT_EQ(Must("write", "r", {{"token", 2}, {"value", 6}}).type, EventType::kOk);
  EXPECT_EQ(Must("write", "r", {{"token", 1}, {"value", 7}}).type, EventType::kOk);
  EXPECT_EQ(Must("read", "r", nullptr).value, Json({{"token", 1}, {"value", 7}}));
}

TEST_F(PostgresNode, RegistersAndCheckpoints) {
  Start("register");
  EXPECT_TRUE(Must("read", 1, nullptr).value.is_null());
  EXPECT_EQ(Must("cas", 1, Json::array({0, 1})).type, EventType::kFail);
  EXPECT_EQ(Must("write", 1, 3).type, EventType::kOk);
  EXPECT_EQ(Must("cas", 1, Json::array({3, 4})).type, EventType::kOk);
  EXPECT_EQ(Must("read", 1, nullptr).value, Json(4));
  client_ = std::make_unique<PgClient>(&loop_, ClientConfig{"checkpoints", "127.0.0.1", Port()});
  EXPECT_EQ(Must("checkpoint", "s", {{"seq", 5}, {"data", "a"}}).type, EventType::kOk);
  EXPECT_EQ(Must("checkpoint", "s", {{"seq", 5}, {"data", "b"}}).type, EventType::kFail);
  EXPECT_EQ(Must("checkpoint", "s", {{"seq", 4}, {"data", "b"}}).type, EventType::kFail);
  EXPECT_EQ(Must("read", "s", nullptr).value, Json({{"seq", 5}}));
}

TEST_F(PostgresNode, ItsOptionsAreTheServersSettings) {
  PostgresSystem::Options o;
  o.synchronous_commit = false;
  o.fsync = false;
  o.isolation = "repeatable-read";
  Start("register", o);
  EXPECT_EQ(Query("SHOW synchronous_commit"), "off");
  EXPECT_EQ(Query("SHOW fsync"), "off");
  EXPECT_EQ(Query("SHOW transaction_isolation"), "repeatable read");
  EXPECT_EQ(system_->HeaderOptions("leases"), Json({{"synchronous_commit", false},
                                                    {"fsync", false},
                                                    {"isolation", "repeatable-read"},
                                                    {"fencing", true}}));
}

TEST_F(PostgresNode, ByDefaultCommitsAreSynchronousAndReadCommitted) {
  Start("register");
  EXPECT_EQ(Query("SHOW synchronous_commit"), "on");
  EXPECT_EQ(Query("SHOW fsync"), "on");
  EXPECT_EQ(Query("SHOW transaction_isolation"), "read committed");
}

// A write that waited for a row another transaction then changed: under repeatable read the
// server refuses it (40001, could not serialize), and the op fails; under read committed it
// is applied to the new row.
TEST_F(PostgresNode, ASerializationFailureFailsTheOp) {
  for (const std::string isolation : {"repeatable-read", "read-committed"}) {
    SCOPED_TRACE(isolation);
    PostgresSystem::Options o;
    o.isolation = isolation;
    Start("register", o);
    ASSERT_EQ(Must("write", 1, 1).type, EventType::kOk);
    const std::string conninfo =
        "hostaddr=127.0.0.1 port=" + std::to_string(Port()) + " user=postgres dbname=postgres";
    PGconn* other = PQconnectdb(conninfo.c_str());
    ASSERT_EQ(PQstatus(other), CONNECTION_OK);
    PQclear(PQexec(other, "BEGIN"));
    PQclear(PQexec(other, "UPDATE registers SET value = '5' WHERE key = '1'"));
    std::optional<Completion> out;
    client_->Invoke({"write", 1, 7, 0}, [&out](Completion c) { out = std::move(c); });
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    while (std::chrono::steady_clock::now() < until) {  // it waits for the other's row lock
      uv_run(&loop_, UV_RUN_NOWAIT);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_FALSE(out.has_value()) << "the write did not wait for the row";
    PQclear(PQexec(other, "COMMIT"));
    PQfinish(other);
    for (int i = 0; i < 5000 && !out; ++i) {
      uv_run(&loop_, UV_RUN_NOWAIT);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_TRUE(out.has_value());
    if (isolation == "repeatable-read") {
      EXPECT_EQ(out->type, EventType::kFail) << out->error;
      EXPECT_NE(out->error.find("could not serialize"), std::string::npos) << out->error;
      EXPECT_EQ(Must("read", 1, nullptr).value, Json(5)) << "the failed write left nothing";
    } else {
      EXPECT_EQ(out->type, EventType::kOk) << out->error;
      EXPECT_EQ(Must("read", 1, nullptr).value, Json(7));
    }
    Stop();
  }
}

TEST_F(PostgresNode, LeasesRunOutByTheServersFakedClock) {
  if (!LibFaketime().ok()) GTEST_SKIP() << LibFaketime().message();
  Start("leases", {}, true);
  // Every process of the node shares the run's clock (the memory FakeClock made), not one
  // libfaketime made for itself when the postgres user could not open the run's.
  for (int pid : Descendants(system_->ProcessGroup("n1"))) {
    std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
    const std::string mapped((std::istreambuf_iterator<char>(maps)), {});
    if (mapped.empty()) continue;  // gone since (the startup process)
    EXPECT_NE(mapped.find("/dev/shm/jepsen_faketime_shm_"), std::string::npos)
        << "process " << pid << " has its own clock";
  }
  const double before = std::atof(Query("SELECT extract(epoch from now())").c_str());
  EXPECT_NEAR(before, static_cast<double>(std::time(nullptr)), 2);
  ASSERT_EQ(Must("acquire", "r", {{"ttl_ms", 30000}}).type, EventType::kOk);
  EXPECT_EQ(Must("acquire", "r", {{"ttl_ms", 30000}}).type, EventType::kFail);
  Result<ClockSetting> skewed = system_->SkewClock("n1", 60, 1);
  ASSERT_TRUE(skewed.ok()) << skewed.message();
  const double after = std::atof(Query("SELECT extract(epoch from now())").c_str());
  EXPECT_NEAR(after, static_cast<double>(std::time(nullptr)) + 60, 2) << "now() follows it";
  const Completion taken = Must("acquire", "r", {{"ttl_ms", 30000}});
  EXPECT_EQ(taken.type, EventType::kOk) << "30 s ran out by the server's clock: " << taken.error;
  EXPECT_EQ(taken.value, Json({{"token", 2}}));
}

// Each backend is in a session of its own: stopping the postmaster's group alone would leave
// the one serving this client running.
TEST_F(PostgresNode, APauseStopsEveryProcessOfTheNodeAndAKillEndsThemAll) {
  Start("register");
  ASSERT_EQ(Must("write", 1, 1).type, EventType::kOk);  // a backend serves this client now
  const int group = system_->ProcessGroup("n1");
  const std::vector<int> processes = Descendants(group);
  ASSERT_GE(processes.size(), 3u);  // the postmaster, its helpers and this client's backend
  ASSERT_TRUE(system_->Pause("n1").ok());
  for (int pid : processes) {  // a stop lands when the process is next scheduled
    for (int i = 0; i < 200 && StateOf(pid) != 'T'; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_EQ(StateOf(pid), 'T') << "process " << pid << " runs on";
  }
  EXPECT_FALSE(Call("read", 1, nullptr, 500).has_value()) << "a paused node answered";
  ASSERT_TRUE(system_->Resume("n1").ok());
  for (int pid : processes) EXPECT_NE(StateOf(pid), 'T') << "process " << pid << " stays stopped";
  EXPECT_EQ(Must("read", 1, nullptr).value, Json(1));

  // Killed while paused: stopped backends would never see their postmaster go.
  ASSERT_TRUE(system_->Pause("n1").ok());
  ASSERT_TRUE(system_->Kill("n1").ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (system_->ProcessGroup("n1") != 0 && std::chrono::steady_clock::now() < deadline) {
    uv_run(&loop_, UV_RUN_NOWAIT);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (int pid : processes) {  // the namespace goes with its init, the postmaster, in a moment
    auto gone = [pid] { return StateOf(pid) == 0 || StateOf(pid) == 'Z'; };
    for (int i = 0; i < 400 && !gone(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_TRUE(gone()) << "process " << pid << " outlived the kill";
  }
  const Completion refused = Must("read", 1, nullptr);
  EXPECT_EQ(refused.type, EventType::kFail) << "nothing was sent: " << refused.error;
  ASSERT_TRUE(system_->Restart("n1").ok());
  std::optional<Completion> back;
  for (int i = 0; i < 100 && !(back && back->type == EventType::kOk); ++i) {
    back = Call("read", 1, nullptr);
  }
  ASSERT_TRUE(back && back->type == EventType::kOk) << (back ? back->error : "no reply");
  EXPECT_EQ(back->value, Json(1)) << "the write survived the kill";
}

// Sent, then the server went: it may have been applied.
TEST_F(PostgresNode, AConnectionLostAfterTheOpWasSentLeavesItOpen) {
  Start("register");
  ASSERT_EQ(Must("write", 1, 1).type, EventType::kOk);
  ASSERT_TRUE(system_->Pause("n1").ok());
  std::optional<Completion> out;
  client_->Invoke({"write", 1, 2, 0}, [&out](Completion c) { out = std::move(c); });
  for (int i = 0; i < 200; ++i) {  // sent, no reply
    uv_run(&loop_, UV_RUN_NOWAIT);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_FALSE(out.has_value());
  ASSERT_TRUE(system_->Kill("n1").ok());
  for (int i = 0; i < 5000 && !out; ++i) {
    uv_run(&loop_, UV_RUN_NOWAIT);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->type, EventType::kInfo) << out->error;
}

TEST_F(PostgresNode, TeardownLeavesNoSharedMemoryNorSocket) {
  Start("register");
  std::ifstream in(data_ / "n1" / "postmaster.pid");
  std::string line;
  for (int i = 0; i < 7; ++i) std::getline(in, line);
  long key = 0;
  int id = -1;
  std::istringstream(line) >> key >> id;
  ASSERT_GE(id, 0) << line;
  struct shmid_ds info;
  ASSERT_EQ(::shmctl(id, IPC_STAT, &info), 0);
  EXPECT_TRUE(fs::exists(data_ / "n1.sock" / (".s.PGSQL." + std::to_string(Port()))));
  Stop();
  // Removed at teardown, it goes once the killed server's last process has detached.
  for (int i = 0; i < 400 && ::shmctl(id, IPC_STAT, &info) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_NE(::shmctl(id, IPC_STAT, &info), 0) << "segment " << id << " outlived the run";
  EXPECT_FALSE(fs::exists(data_ / "n1.sock"));
}

}  // namespace
}  // namespace jepsen::systems::postgres
