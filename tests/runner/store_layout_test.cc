// The store's layout: runs started in the same millisecond never share a
// directory or a history file, and store/latest is replaced whole.
#include "runner/store_layout.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include "runner/recorder.h"

namespace jepsen::runner {
namespace {

namespace fs = std::filesystem;

fs::path TempStore(const std::string& name) {
  const fs::path store = fs::path(::testing::TempDir()) / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(store);
  return store;
}

TEST(CreateRunDirectory, RunsStartedTogetherGetDirectoriesOfTheirOwn) {
  const fs::path store = TempStore("layout-concurrent");
  std::vector<std::vector<std::string>> made(4);
  std::vector<std::thread> threads;
  for (auto& mine : made) {
    threads.emplace_back([&store, &mine] {
      for (int i = 0; i < 25; ++i) {
        Result<std::string> dir = CreateRunDirectory(store.string(), "register-kill");
        mine.push_back(dir.ok() ? *dir : "error: " + dir.message());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> distinct;
  for (const auto& mine : made) {
    for (const std::string& dir : mine) {
      EXPECT_TRUE(fs::is_directory(dir)) << dir;
      distinct.insert(dir);
    }
  }
  EXPECT_EQ(distinct.size(), 100u) << "two runs were given the same directory";
  fs::remove_all(store);
}

TEST(CreateRunDirectory, AnUnwritableStoreIsAnErrorNamingIt) {
  Result<std::string> dir = CreateRunDirectory("/proc/jepsen-store", "register-none");
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.message().find("/proc/jepsen-store"), std::string::npos) << dir.message();
}

TEST(PointLatestAt, ARelativeLinkReplacedWhole) {
  const fs::path store = TempStore("layout-latest");
  Result<std::string> first = CreateRunDirectory(store.string(), "register-none");
  Result<std::string> second = CreateRunDirectory(store.string(), "leases-kill");
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(PointLatestAt(store.string(), *first).ok());
  ASSERT_TRUE(PointLatestAt(store.string(), *second).ok());
  EXPECT_TRUE(fs::read_symlink(store / "latest").is_relative());
  EXPECT_EQ(fs::canonical(store / "latest"), fs::canonical(*second));
  for (const auto& entry : fs::directory_iterator(store)) {
    EXPECT_EQ(entry.path().filename().string().rfind(".latest", 0), std::string::npos)
        << "a temporary link left behind: " << entry.path();
  }
  fs::remove_all(store);
}

TEST(Recorder, NeverWritesIntoAnotherRunsHistory) {
  const fs::path store = TempStore("layout-history");
  fs::create_directories(store);
  const std::string path = (store / "history.jsonl").string();
  auto first = Recorder::Create(path, Json::object(), 1);
  ASSERT_TRUE(first.ok()) << first.message();
  auto second = Recorder::Create(path, Json::object(), 1);
  ASSERT_FALSE(second.ok()) << "opened a history file that another run is writing";
  EXPECT_NE(second.message().find(path), std::string::npos) << second.message();
  fs::remove_all(store);
}

}  // namespace
}  // namespace jepsen::runner
