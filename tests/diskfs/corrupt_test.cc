// The corrupt fault's damage to a backing directory: one file the glob
// matches, one byte's bits flipped or one sector zeroed, alike for a seed.
#include "diskfs/corrupt.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

namespace jepsen::diskfs {
namespace {

namespace fs = std::filesystem;

class Corrupt : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("corrupt_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sub");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Put(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  std::string Get(const std::string& name) {
    std::ifstream in(dir_ / name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_;
};

TEST_F(Corrupt, DamagesOneMatchingFileByABitFlipOrAZeroedSector) {
  const std::string original(2000, 'a');
  std::set<std::string> hows;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Put("store.db", std::string(10, 'd'));
    Put("sub/store.db-wal", original);
    Put("empty-wal", "");
    Result<Corruption> done = CorruptFile(dir_.string(), seed, "*-wal");
    ASSERT_TRUE(done.ok()) << done.message();
    EXPECT_EQ(done->file, "sub/store.db-wal") << "only a non-empty file the glob matches";
    EXPECT_TRUE(done->changed);
    EXPECT_EQ(Get("store.db"), std::string(10, 'd'));
    const std::string now = Get("sub/store.db-wal");
    ASSERT_EQ(now.size(), original.size()) << "the size never changes";
    hows.insert(done->how);
    std::string expected = original;
    if (done->how == "bits") {
      EXPECT_EQ(done->length, 1u);
      EXPECT_NE(done->mask, 0u);
      expected[done->offset] = static_cast<char>(expected[done->offset] ^ done->mask);
    } else {
      EXPECT_EQ(done->offset % 512, 0u);
      EXPECT_EQ(done->length, std::min<uint64_t>(512, 2000 - done->offset));
      std::fill_n(expected.begin() + static_cast<long>(done->offset), done->length, '\0');
    }
    EXPECT_EQ(now, expected) << "exactly what the reply says, nothing else";
    Put("sub/store.db-wal", original);
    Result<Corruption> again = CorruptFile(dir_.string(), seed, "*-wal");
    EXPECT_EQ(again->offset, done->offset) << "a seed damages alike";
    EXPECT_EQ(again->how, done->how);
  }
  EXPECT_EQ(hows, (std::set<std::string>{"bits", "zero"}));
}

TEST_F(Corrupt, NoMatchingFileIsAnError) {
  Put("store.db", "data");
  Result<Corruption> done = CorruptFile(dir_.string(), 1, "*-wal");
  ASSERT_FALSE(done.ok());
  EXPECT_NE(done.message().find("no non-empty file"), std::string::npos) << done.message();
}

TEST_F(Corrupt, ZeroingASectorThatIsZeroAlreadyIsReportedUnchanged) {
  Put("zeros", std::string(1024, '\0'));
  bool unchanged = false;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Result<Corruption> done = CorruptFile(dir_.string(), seed, "*");
    ASSERT_TRUE(done.ok());
    if (done->how == "zero") {
      EXPECT_FALSE(done->changed) << "every sector is zero already";
      unchanged = true;
    }
    Put("zeros", std::string(1024, '\0'));
  }
  EXPECT_TRUE(unchanged);
}

}  // namespace
}  // namespace jepsen::diskfs
