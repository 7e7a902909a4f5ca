// jepsen-diskfs mounted for real: what a power loss keeps is what was made
// durable (docs/disk-faults.md). Needs root and /dev/fuse; skips without them.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "diskfs/control.h"
#include "diskfs/mounts.h"

namespace jepsen::diskfs {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string WhyNoFuse() {
  if (::geteuid() != 0) return "disk faults need root (to mount jepsen-diskfs)";
  if (::access("/dev/fuse", R_OK | W_OK) != 0) return "disk faults need /dev/fuse";
  return "";
}

// A jepsen-diskfs of the test's own over a fresh backing directory.
class Diskfs : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string why = WhyNoFuse(); !why.empty()) GTEST_SKIP() << why;
    root_ = fs::temp_directory_path() /
            ("diskfs_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(backing());
    fs::create_directories(mnt());
    control_ = "@jepsen-diskfs-test-" + std::to_string(::getpid());
    Mount();
  }

  void TearDown() override {
    if (pid_ > 0) Stop(SIGTERM);
    if (!root_.empty()) {
      EXPECT_TRUE(DiskfsMountsUnder(root_.string()).empty()) << "a mount was left behind";
      fs::remove_all(root_);
    }
  }

  void Mount() {
    const std::string binary = std::string(JEPSEN_BIN_DIR) + "/jepsen-diskfs";
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      std::vector<std::string> args = {binary,   backing(),        mnt(), "--control",
                                       control_, "--max-file-mib", "4"};
      for (const std::string& flag : Flags()) args.push_back(flag);
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    for (int i = 0; i < 200; ++i) {  // answering: mounted
      if (SendControl(control_, "stats", 1000).ok()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL() << "jepsen-diskfs did not come up";
  }

  // jepsen-diskfs' flags beyond the backing, the mount point, the control and the limit.
  virtual std::vector<std::string> Flags() const { return {}; }

  // Ends the filesystem with `signal`; SIGTERM unmounts, SIGKILL leaves the mount stale.
  void Stop(int signal) {
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  Json Command(const std::string& command) {
    Result<std::string> reply = SendControl(control_, command, 5000);
    EXPECT_TRUE(reply.ok()) << reply.message();
    return reply.ok() ? Json::parse(*reply) : Json();
  }

  std::string backing() const { return (root_ / "backing").string(); }
  std::string mnt() const { return (root_ / "mnt").string(); }
  std::string at(const std::string& name) const { return mnt() + "/" + name; }

  fs::path root_;
  std::string control_;
  pid_t pid_ = -1;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Writes `text` at the end of `path` through a descriptor of its own; fsync if asked.
void Append(const std::string& path, const std::string& text, bool fsync, int flags = 0) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | flags, 0644);
  ASSERT_GE(fd, 0) << path << ": " << std::strerror(errno);
  ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  if (fsync) {
    ASSERT_EQ(::fsync(fd), 0);
  }
  ::close(fd);
}

TEST_F(Diskfs, ReadsBackWhatWasWrittenAndKeepsItOutOfTheBackingFile) {
  Append(at("a"), "hello ", false);
  Append(at("a"), "world", false);
  EXPECT_EQ(Slurp(at("a")), "hello world");
  EXPECT_EQ(fs::file_size(at("a")), 11u);
  EXPECT_EQ(fs::file_size(backing() + "/a"), 0u);  // the create is durable, the data is not
  const Json stats = Command("stats");
  EXPECT_EQ(stats["bytes_dirty"], 11);
  EXPECT_EQ(stats["writes_pending"], 2);
}

TEST_F(Diskfs, WhatWasFsyncedSurvivesAPowerLoss) {
  Append(at("a"), "durable", true);
  Append(at("a"), "-lost", false);
  EXPECT_EQ(Slurp(at("a")), "durable-lost");
  const Json loss = Command("power-loss");
  EXPECT_EQ(loss["ok"], true);
  EXPECT_EQ(loss["files"], Json::array({"a"}));
  EXPECT_EQ(loss["bytes"], 5);
  EXPECT_EQ(loss["writes"], 1);
  EXPECT_EQ(Slurp(at("a")), "durable");
  EXPECT_EQ(fs::file_size(at("a")), 7u);
}

TEST_F(Diskfs, WhatWasNeverFsyncedIsLost) {
  Append(at("a"), "gone", false);
  const Json loss = Command("power-loss");
  EXPECT_EQ(loss["bytes"], 4);
  EXPECT_TRUE(fs::exists(at("a")));  // metadata is durable at once (the default rule)
  EXPECT_EQ(Slurp(at("a")), "");
  EXPECT_EQ(Command("power-loss")["bytes"], 0);  // nothing left to lose
}

TEST_F(Diskfs, SynchronousWritesSurvive) {
  Append(at("sync"), "osync", false, O_SYNC);
  Append(at("dsync"), "odsync", false, O_DSYNC);
  EXPECT_EQ(Command("power-loss")["bytes"], 0);
  EXPECT_EQ(Slurp(at("sync")), "osync");
  EXPECT_EQ(Slurp(at("dsync")), "odsync");
}

TEST_F(Diskfs, TruncateRenameAndUnlinkAreDurableAtOnce) {
  Append(at("t"), "0123456789", true);
  fs::resize_file(at("t"), 4);
  Append(at("r"), "renamed", true);
  Append(at("r"), "+cached", false);
  fs::rename(at("r"), at("r2"));
  Append(at("u"), "unlinked", true);
  fs::remove(at("u"));
  const Json loss = Command("power-loss");
  EXPECT_EQ(loss["files"], Json::array({"r2"}));  // named by its new name
  EXPECT_EQ(Slurp(at("t")), "0123");
  EXPECT_FALSE(fs::exists(at("r")));
  EXPECT_EQ(Slurp(at("r2")), "renamed");
  EXPECT_FALSE(fs::exists(at("u")));
}

// `length` bytes of a pattern that tells offsets apart, starting at `offset`.
std::string Pattern(uint64_t offset, uint64_t length, char salt) {
  std::string text(length, '\0');
  for (uint64_t i = 0; i < length; ++i) text[i] = static_cast<char>((offset + i) * 31 % 251 + salt);
  return text;
}

void PwriteAll(int fd, const std::string& text, uint64_t offset) {
  for (uint64_t done = 0; done < text.size();) {  // in 1 MiB writes, as a store would
    const uint64_t n = std::min<uint64_t>(1 << 20, text.size() - done);
    ASSERT_EQ(::pwrite(fd, text.data() + done, n, static_cast<off_t>(offset + done)),
              static_cast<ssize_t>(n));
    done += n;
  }
}

// The files in the layer's state directory whose names start with "undo".
size_t UndoFiles(const std::string& backing) {
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(backing + "/.jepsen-diskfs")) {
    n += entry.path().filename().string().rfind("undo", 0) == 0;
  }
  return n;
}

// The mount's limit is 4 MiB a file: everything here writes well beyond it.
TEST_F(Diskfs, WritesFarBeyondTheLimitGoThroughAndAPowerLossUndoesThemExactly) {
  const std::string durable = Pattern(0, 3 << 20, 'a');
  const int fd = ::open(at("big").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  PwriteAll(fd, durable, 0);
  ASSERT_EQ(::fsync(fd), 0);
  const std::string later = Pattern(1 << 20, 12 << 20, 'b');  // over the durable end, and on
  PwriteAll(fd, later, 1 << 20);
  std::string expected = durable.substr(0, 1 << 20) + later;
  EXPECT_EQ(Slurp(at("big")), expected) << "reads see every write";
  const Json stats = Command("stats");
  EXPECT_EQ(stats["files_through"], 1) << stats.dump();
  EXPECT_LE(stats["bytes_dirty"].get<uint64_t>(), 4u << 20) << "memory stays within the limit";
  EXPECT_GE(stats["bytes_through"].get<uint64_t>(), 8u << 20) << stats.dump();
  EXPECT_EQ(UndoFiles(backing()), 1u);
  ::close(fd);
  const Json loss = Command("power-loss");
  EXPECT_EQ(loss["files"], Json::array({"big"}));
  EXPECT_EQ(loss["bytes"], 12 << 20);
  EXPECT_EQ(fs::file_size(at("big")), durable.size()) << "appends beyond the durable end cut";
  EXPECT_TRUE(Slurp(at("big")) == durable) << "exactly the durable content";
  EXPECT_TRUE(Slurp(backing() + "/big") == durable);
  EXPECT_EQ(UndoFiles(backing()), 0u) << "the undo log goes with the power loss";
}

TEST_F(Diskfs, WhatAnFsyncMadeDurableBetweenWritesBeyondTheLimitSurvives) {
  const int fd = ::open(at("big").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  const std::string first = Pattern(0, 6 << 20, 'a');
  PwriteAll(fd, first, 0);
  EXPECT_EQ(UndoFiles(backing()), 1u);
  ASSERT_EQ(::fsync(fd), 0);
  EXPECT_EQ(UndoFiles(backing()), 0u) << "an fsync deletes the undo log";
  PwriteAll(fd, Pattern(2 << 20, 7 << 20, 'c'), 2 << 20);
  ::close(fd);
  Command("power-loss");
  EXPECT_EQ(fs::file_size(at("big")), first.size());
  EXPECT_TRUE(Slurp(at("big")) == first) << "the fsynced part, exactly";
  EXPECT_EQ(UndoFiles(backing()), 0u);
}

TEST_F(Diskfs, AFailingFsyncWithWritesBeyondTheLimitLeavesTheDurableFile) {
  Append(at("big"), "durable", true);
  const int fd = ::open(at("big").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  PwriteAll(fd, Pattern(0, 6 << 20, 'f'), 3);
  Command("fsync-error 1");
  EXPECT_EQ(::fsync(fd), -1);
  ::close(fd);
  EXPECT_EQ(Slurp(at("big")), "durable");
  EXPECT_EQ(Slurp(backing() + "/big"), "durable") << "what went through is undone";
  EXPECT_EQ(UndoFiles(backing()), 0u);
  EXPECT_EQ(Command("fsync-error 0")["bytes"], 6 << 20);
}

TEST_F(Diskfs, ATornPowerLossWithWritesBeyondTheLimitKeepsOnlyTheDurableFileAndTheKeptSectors) {
  for (int seed = 1; seed <= 4; ++seed) {
    const std::string name = "t" + std::to_string(seed);
    Append(at(name), std::string(1024, 'd'), true);
    const int fd = ::open(at(name).c_str(), O_RDWR);
    ASSERT_GE(fd, 0);
    PwriteAll(fd, Pattern(0, 5 << 20, 'e'), 512);                              // goes through
    ASSERT_EQ(::pwrite(fd, std::string(2048, 'x').data(), 2048, 1024), 2048);  // the last
    ::close(fd);
    const Json loss = Command("power-loss torn " + std::to_string(seed));
    ASSERT_EQ(loss["ok"], true) << loss.dump();
    ASSERT_EQ(loss["torn"].size(), 1u) << loss.dump();
    std::string expected(1024, 'd');
    for (const Json& range : loss["torn"][0]["kept"]) {
      const uint64_t from = range[0], to = range[1];
      if (expected.size() < to) expected.resize(to, '\0');
      std::fill(expected.begin() + from, expected.begin() + to, 'x');
    }
    EXPECT_EQ(Slurp(at(name)), expected) << loss.dump();
    EXPECT_EQ(UndoFiles(backing()), 0u);
  }
}

TEST_F(Diskfs, AFullDiskFailsWritesFsyncsAndCreatesUntilItIsTurnedOff) {
  Append(at("a"), "durable", true);
  const int fd = ::open(at("a").c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "+cached", 7), 7);
  EXPECT_EQ(Command("disk-full on"), Json({{"ok", true}, {"full", true}}));
  errno = 0;
  EXPECT_EQ(::write(fd, "x", 1), -1);
  EXPECT_EQ(errno, ENOSPC);
  errno = 0;
  EXPECT_EQ(::fsync(fd), -1);
  EXPECT_EQ(errno, ENOSPC);
  errno = 0;
  EXPECT_EQ(::open(at("new").c_str(), O_WRONLY | O_CREAT, 0644), -1);
  EXPECT_EQ(errno, ENOSPC);
  EXPECT_FALSE(fs::exists(backing() + "/new"));
  errno = 0;
  EXPECT_EQ(::mkdir(at("dir").c_str(), 0755), -1);
  EXPECT_EQ(errno, ENOSPC);
  EXPECT_EQ(Slurp(at("a")), "durable+cached") << "nothing about the data changes";
  EXPECT_EQ(Slurp(backing() + "/a"), "durable");
  const Json off = Command("disk-full off");
  EXPECT_EQ(off["full"], false);
  EXPECT_EQ(off["refused"], 4);
  ASSERT_EQ(::fsync(fd), 0) << "room again";
  ::close(fd);
  EXPECT_EQ(Slurp(backing() + "/a"), "durable+cached");
  Append(at("new"), "made", false);
  EXPECT_EQ(Command("stats")["full_refusals"], 4);
}

TEST_F(Diskfs, AFailingFsyncReturnsEioAndItsDataIsNeverWritten) {
  Append(at("a"), "durable", true);
  const int fd = ::open(at("a").c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "+dropped", 8), 8);
  EXPECT_EQ(Command("fsync-error 1")["ok"], true);
  errno = 0;
  EXPECT_EQ(::fsync(fd), -1);
  EXPECT_EQ(errno, EIO);
  ASSERT_EQ(::fsync(fd), 0) << "only the next one fails";
  ::close(fd);
  EXPECT_EQ(Slurp(backing() + "/a"), "durable") << "the dropped data is never written";
  EXPECT_EQ(Slurp(at("a")), "durable") << "reads return what is durable";
  EXPECT_EQ(fs::file_size(at("a")), 7u);
  const Json done = Command("fsync-error 0");
  EXPECT_EQ(done["failed"], 1);
  EXPECT_EQ(done["left"], 0);
  EXPECT_EQ(done["files"], Json::array({"a"}));
  EXPECT_EQ(done["bytes"], 8);
  EXPECT_EQ(done["writes"], 1);
  EXPECT_EQ(Command("fsync-error x")["ok"], false);
  EXPECT_EQ(Command("power-loss")["bytes"], 0) << "nothing of it left to lose";
}

TEST_F(Diskfs, ATornPowerLossKeepsWholeSectorsOfTheLastWriteAsItsReplySays) {
  for (int seed = 1; seed <= 6; ++seed) {
    const std::string name = "t" + std::to_string(seed);
    Append(at(name), std::string(1024, 'd'), true);
    Append(at(name), std::string(100, 'e'), false);  // not the last write: lost
    const int fd = ::open(at(name).c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::pwrite(fd, std::string(2048, 'x').data(), 2048, 1024), 2048);
    ::close(fd);
    const Json loss = Command("power-loss torn " + std::to_string(seed));
    ASSERT_EQ(loss["ok"], true) << loss.dump();
    ASSERT_EQ(loss["torn"].size(), 1u) << loss.dump();
    const Json& torn = loss["torn"][0];
    EXPECT_EQ(torn["file"], name);
    EXPECT_EQ(torn["offset"], 1024);
    EXPECT_EQ(torn["length"], 2048);
    std::string expected(1024, 'd');
    uint64_t kept = 0;
    for (const Json& range : torn["kept"]) {
      const uint64_t from = range[0], to = range[1];
      kept += to - from;
      EXPECT_EQ(from % 512, 0u);
      if (expected.size() < to) expected.resize(to, '\0');  // a hole where sectors were not kept
      std::fill(expected.begin() + from, expected.begin() + to, 'x');
    }
    EXPECT_LT(kept, 2048u) << "kept in part, never whole: " << torn.dump();
    EXPECT_EQ(Slurp(at(name)), expected) << torn.dump();
    EXPECT_EQ(Slurp(backing() + "/" + name), expected);
  }
  EXPECT_EQ(Command("power-loss torn x")["ok"], false);
}

TEST_F(Diskfs, CorruptDamagesTheBackingFileAndSaysWhetherTheCacheHidesIt) {
  Append(at("data-wal"), std::string(4096, 'w'), true);
  Append(at("other"), "o", true);
  Json done = Command("corrupt 7 *-wal");
  ASSERT_EQ(done["ok"], true) << done.dump();
  EXPECT_EQ(done["file"], "data-wal");
  EXPECT_EQ(done["changed"], true);
  EXPECT_EQ(done["cached"], false);
  const std::string now = Slurp(at("data-wal"));
  ASSERT_EQ(now.size(), 4096u);
  EXPECT_NE(now, std::string(4096, 'w')) << "read through the layer, the damage shows";
  EXPECT_EQ(now, Slurp(backing() + "/data-wal"));
  EXPECT_EQ(Slurp(at("other")), "o");
  const int fd = ::open(at("data-wal").c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, std::string(4096, 'n').data(), 4096, 0), 4096);  // cached, newer
  done = Command("corrupt 7 *-wal");
  EXPECT_EQ(done["cached"], true) << "the cache holds newer bytes over the damage";
  ::close(fd);
  EXPECT_EQ(Command("corrupt 7 *.nothing")["ok"], false);
}

// A child writes through a shared mapping and is killed: the kernel writes its dirty pages back
// as the mapping goes, so they are in the layer (not durable) before the child is gone.
TEST_F(Diskfs, WritesThroughASharedMappingReachTheLayerAndAPowerLossDropsThem) {
  Append(at("m"), std::string(8192, 'a'), true);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int fd = ::open(at("m").c_str(), O_RDWR);
    void* map = ::mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (fd < 0 || map == MAP_FAILED) ::_exit(1);
    std::memset(static_cast<char*>(map) + 4096, 'b', 4096);
    ::kill(::getpid(), SIGKILL);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(Slurp(at("m")), std::string(4096, 'a') + std::string(4096, 'b'));
  EXPECT_GT(Command("stats")["bytes_dirty"].get<int64_t>(), 0);
  EXPECT_GT(Command("power-loss")["bytes"].get<int64_t>(), 0);
  EXPECT_EQ(Slurp(at("m")), std::string(8192, 'a'));
}

// A child commits `rows` rows to a WAL database with `synchronous`, then dies
// without closing it (no checkpoint), as a killed node does.
void CommitAndDie(const std::string& path, const char* synchronous, int rows) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) ::_exit(1);
    const std::string setup = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
                              synchronous + "; CREATE TABLE IF NOT EXISTS t(x);";
    if (sqlite3_exec(db, setup.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) ::_exit(2);
    for (int i = 0; i < rows; ++i) {
      const std::string insert = "INSERT INTO t VALUES(" + std::to_string(i) + ")";
      if (sqlite3_exec(db, insert.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) ::_exit(3);
    }
    ::kill(::getpid(), SIGKILL);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child failed with " << WEXITSTATUS(status);
}

// Rows in table t, or -1 when the database has no such table (its creation was lost).
int64_t Rows(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  int64_t rows = -1;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    rows = sqlite3_column_int64(statement, 0);
  }
  sqlite3_finalize(statement);
  char* error = nullptr;
  std::string integrity;
  sqlite3_exec(
      db, "PRAGMA integrity_check",
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) = values[0] ? values[0] : "";
        return 0;
      },
      &integrity, &error);
  EXPECT_EQ(integrity, "ok");
  sqlite3_free(error);
  sqlite3_close(db);
  return rows;
}

TEST_F(Diskfs, SqliteWalWithSynchronousFullKeepsEveryCommit) {
  CommitAndDie(at("full.db"), "FULL", 100);
  const Json loss = Command("power-loss");
  EXPECT_EQ(Rows(at("full.db")), 100) << loss.dump();
  CommitAndDie(at("full.db"), "FULL", 50);  // recovery from the WAL, then more
  Command("power-loss");
  EXPECT_EQ(Rows(at("full.db")), 150);
}

TEST_F(Diskfs, SqliteWalWithSynchronousNormalLosesCommits) {
  CommitAndDie(at("normal.db"), "NORMAL", 100);
  EXPECT_EQ(Rows(at("normal.db")), 100);  // a kill alone loses nothing
  CommitAndDie(at("normal.db"), "NORMAL", 100);
  const Json loss = Command("power-loss");
  EXPECT_GT(loss["bytes"].get<int64_t>(), 0);
  EXPECT_LT(Rows(at("normal.db")), 200) << loss.dump();
}

TEST_F(Diskfs, SigtermUnmountsAndAStaleMountIsDetachedByTheNextRun) {
  Stop(SIGTERM);
  EXPECT_TRUE(DiskfsMountsUnder(root_.string()).empty());
  Mount();
  Result<std::vector<std::string>> live = UnmountStaleDiskfsUnder(root_.string());
  ASSERT_TRUE(live.ok()) << live.message();
  EXPECT_TRUE(live->empty()) << "a live mount (another run's) was detached";
  Stop(SIGKILL);  // a run killed outright
  ASSERT_EQ(DiskfsMountsUnder(root_.string()), std::vector<std::string>{mnt()});
  Result<std::vector<std::string>> detached = UnmountStaleDiskfsUnder(root_.string());
  ASSERT_TRUE(detached.ok()) << detached.message();
  EXPECT_EQ(*detached, std::vector<std::string>{mnt()});
  EXPECT_TRUE(DiskfsMountsUnder(root_.string()).empty());
}

// fsync of a directory through the mount (FUSE's fsyncdir).
void FsyncDir(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0) << path << ": " << std::strerror(errno);
  EXPECT_EQ(::fsync(fd), 0);
  ::close(fd);
}

// What the power loss reply says it undid, as "op path" (a rename: "rename from>to").
std::vector<std::string> Undone(const Json& reply) {
  std::vector<std::string> undone;
  for (const Json& c : reply.at("metadata")) {
    const std::string op = c.at("op");
    undone.push_back(op + " " +
                     (op == "rename" ? c.at("from").get<std::string>() + ">" : std::string()) +
                     c.at("path").get<std::string>());
  }
  return undone;
}

std::vector<std::string> Listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The filesystem runs as root; what another user makes through it is that user's, as on a disk
// (PostgreSQL, run as its own user, refuses a data directory it does not own).
TEST_F(Diskfs, NamesMadeByAnotherUserAreThatUsers) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (to act as another user)";
  constexpr uid_t kUser = 65534;  // nobody
  constexpr gid_t kGroup = 65534;
  ASSERT_EQ(::chmod(mnt().c_str(), 0777), 0) << std::strerror(errno);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setresgid(kGroup, kGroup, kGroup) != 0 || ::setresuid(kUser, kUser, kUser) != 0) {
      ::_exit(2);
    }
    const int fd = ::open(at("file").c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) ::_exit(3);
    ::close(fd);
    if (::mkdir(at("dir").c_str(), 0700) != 0) ::_exit(4);
    if (::symlink("file", at("link").c_str()) != 0) ::_exit(5);
    if (::mkfifo(at("fifo").c_str(), 0600) != 0) ::_exit(6);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "the other user could not make its names";
  for (const std::string name : {"file", "dir", "link", "fifo"}) {
    for (const std::string& where : {at(name), backing() + "/" + name}) {
      struct stat st;
      ASSERT_EQ(::lstat(where.c_str(), &st), 0) << where;
      EXPECT_EQ(st.st_uid, kUser) << where;
      EXPECT_EQ(st.st_gid, kGroup) << where;
    }
  }
}

TEST_F(Diskfs, OrderedMetadataUndoesNothingAndTheLayersStateIsHidden) {
  Append(at("a"), "x", true);
  fs::create_directory(at("d"));
  EXPECT_EQ(Listing(mnt()), (std::vector<std::string>{"a", "d"}));
  EXPECT_FALSE(fs::exists(at(".jepsen-diskfs")));
  EXPECT_TRUE(fs::is_directory(backing() + "/.jepsen-diskfs"));
  const Json loss = Command("power-loss");
  EXPECT_EQ(loss["metadata"], Json::array());
  EXPECT_EQ(Listing(mnt()), (std::vector<std::string>{"a", "d"}));
  EXPECT_EQ(Command("corrupt 1 *")["file"], "a");  // never a file of the layer's own
}

class StrictDiskfs : public Diskfs {
 protected:
  std::vector<std::string> Flags() const override { return {"--strict-metadata"}; }
};

TEST_F(StrictDiskfs, AFileFsyncedButNotItsDirectoryIsGoneAfterAPowerLoss) {
  Append(at("a"), "fsynced", true);
  EXPECT_EQ(Slurp(at("a")), "fsynced");
  EXPECT_EQ(Command("stats")["metadata_pending"], 1);
  const Json loss = Command("power-loss");
  EXPECT_EQ(Undone(loss), std::vector<std::string>{"create a"});
  EXPECT_FALSE(fs::exists(at("a")));
  EXPECT_FALSE(fs::exists(backing() + "/a"));
  EXPECT_EQ(Command("stats")["metadata_pending"], 0);
}

TEST_F(StrictDiskfs, AFsyncOfItsDirectoryMakesACreateDurable) {
  Append(at("a"), "fsynced", true);
  FsyncDir(mnt());
  Append(at("a"), "+lost", false);
  const Json loss = Command("power-loss");
  EXPECT_EQ(loss["metadata"], Json::array());
  EXPECT_EQ(Slurp(at("a")), "fsynced");
}

TEST_F(StrictDiskfs, ARenameOverAnExistingFileIsUndoneUnlessItsDirectoryIsFsynced) {
  Append(at("old"), "old", true);
  Append(at("new"), "new", true);
  Append(at("kept"), "kept", true);
  FsyncDir(mnt());
  fs::rename(at("new"), at("old"));
  fs::rename(at("kept"), at("kept2"));
  EXPECT_EQ(Slurp(at("old")), "new");
  EXPECT_EQ(Listing(mnt()), (std::vector<std::string>{"kept2", "old"}));
  const Json loss = Command("power-loss");
  EXPECT_EQ(Undone(loss), (std::vector<std::string>{"rename kept>kept2", "rename new>old"}));
  EXPECT_EQ(Listing(mnt()), (std::vector<std::string>{"kept", "new", "old"}));
  EXPECT_EQ(Slurp(at("old")), "old");  // the old name is back with its durable content
  EXPECT_EQ(Slurp(at("new")), "new");
  EXPECT_EQ(Slurp(at("kept")), "kept");

  fs::rename(at("new"), at("old"));
  FsyncDir(mnt());
  EXPECT_EQ(Command("power-loss")["metadata"], Json::array());
  EXPECT_EQ(Listing(mnt()), (std::vector<std::string>{"kept", "old"}));
  EXPECT_EQ(Slurp(at("old")), "new");
  EXPECT_EQ(Listing(backing() + "/.jepsen-diskfs"), std::vector<std::string>{});  // nothing kept
}

TEST_F(StrictDiskfs, AnUnlinkIsUndoneUnlessItsDirectoryIsFsynced) {
  Append(at("u"), "durable", true);
  FsyncDir(mnt());
  Append(at("u"), "+lost", false);
  fs::remove(at("u"));
  EXPECT_FALSE(fs::exists(at("u")));
  EXPECT_EQ(Undone(Command("power-loss")), std::vector<std::string>{"unlink u"});
  EXPECT_EQ(Slurp(at("u")), "durable");

  fs::remove(at("u"));
  FsyncDir(mnt());
  EXPECT_EQ(Command("power-loss")["metadata"], Json::array());
  EXPECT_FALSE(fs::exists(at("u")));
  EXPECT_EQ(Listing(backing() + "/.jepsen-diskfs"), std::vector<std::string>{});
}

TEST_F(StrictDiskfs, AnUnlinkedFileBackAfterAPowerLossHasItsDurableContentNotWhatWentThrough) {
  Append(at("u"), "durable", true);
  FsyncDir(mnt());
  const int fd = ::open(at("u").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  PwriteAll(fd, Pattern(0, 6 << 20, 'u'), 0);  // past the limit: through, with an undo log
  ::close(fd);
  fs::remove(at("u"));
  EXPECT_EQ(Undone(Command("power-loss")), std::vector<std::string>{"unlink u"});
  EXPECT_EQ(Slurp(at("u")), "durable");
  EXPECT_EQ(UndoFiles(backing()), 0u);
}

TEST_F(StrictDiskfs, NestedDirectoriesEachNeedTheirOwnFsync) {
  fs::create_directory(at("d"));
  Append(at("d/f"), "in d", true);
  FsyncDir(mnt());  // makes "mkdir d" durable, not d's own entries
  const Json loss = Command("power-loss");
  EXPECT_EQ(Undone(loss), std::vector<std::string>{"create d/f"});
  EXPECT_TRUE(fs::is_directory(at("d")));
  EXPECT_FALSE(fs::exists(at("d/f")));

  Append(at("d/f"), "in d", true);
  FsyncDir(at("d"));
  EXPECT_EQ(Command("power-loss")["metadata"], Json::array());
  EXPECT_EQ(Slurp(at("d/f")), "in d");

  fs::remove(at("d/f"));
  fs::remove(at("d"));
  EXPECT_EQ(Undone(Command("power-loss")), (std::vector<std::string>{"rmdir d", "unlink d/f"}));
  EXPECT_EQ(Slurp(at("d/f")), "in d");
}

TEST_F(StrictDiskfs, ADirectoryFsyncMakesEveryEarlierChangeDurableAsAJournalCommitsInOrder) {
  Append(at("a"), "a", true);
  fs::create_directory(at("d"));
  Append(at("d/later"), "later", true);
  FsyncDir(mnt());  // "mkdir d" is its last change: "create a" before it is durable too
  EXPECT_EQ(Undone(Command("power-loss")), std::vector<std::string>{"create d/later"});
  EXPECT_EQ(Listing(mnt()), (std::vector<std::string>{"a", "d"}));
  EXPECT_EQ(Listing(at("d")), std::vector<std::string>{});
}

}  // namespace
}  // namespace jepsen::diskfs
