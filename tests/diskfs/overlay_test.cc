#include "diskfs/overlay.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "diskfs/page_cache.h"

namespace jepsen::diskfs {
namespace {

std::string ReadAll(const Overlay& overlay, uint64_t offset, uint64_t length) {
  std::string out(length, '.');
  overlay.Read(offset, length, out.data());
  return out;
}

TEST(Overlay, NewestWriteWinsAndNeighboursJoin) {
  Overlay overlay;
  overlay.Write(2, "abcd");
  overlay.Write(10, "xy");
  EXPECT_EQ(overlay.extents().size(), 2u);
  EXPECT_EQ(ReadAll(overlay, 0, 12), "..abcd....xy");
  overlay.Write(4, "ZZZZZZ");  // reaches the second extent: one extent
  EXPECT_EQ(overlay.extents().size(), 1u);
  EXPECT_EQ(ReadAll(overlay, 0, 12), "..abZZZZZZxy");
  EXPECT_EQ(overlay.bytes(), 10u);
  overlay.Write(12, "!");  // touching: joins
  EXPECT_EQ(overlay.extents().size(), 1u);
  overlay.Write(0, "0");  // a gap of one byte: stays apart
  EXPECT_EQ(overlay.extents().size(), 2u);
  EXPECT_EQ(ReadAll(overlay, 0, 14), "0.abZZZZZZxy!.");
  EXPECT_EQ(overlay.bytes(), 12u);
  EXPECT_EQ(overlay.end(), 13u);
}

TEST(Overlay, WriteInsideAnExtentKeepsItsEnds) {
  Overlay overlay;
  overlay.Write(0, "aaaaaaaa");
  overlay.Write(3, "bb");
  EXPECT_EQ(ReadAll(overlay, 0, 8), "aaabbaaa");
  EXPECT_EQ(overlay.bytes(), 8u);
}

TEST(Overlay, TruncateCutsAndForgets) {
  Overlay overlay;
  overlay.Write(0, "abcdef");
  overlay.Write(10, "ghij");
  overlay.Truncate(4);
  EXPECT_EQ(ReadAll(overlay, 0, 12), "abcd........");
  EXPECT_EQ(overlay.bytes(), 4u);
  overlay.Truncate(0);
  EXPECT_TRUE(overlay.empty());
  EXPECT_EQ(overlay.bytes(), 0u);
}

TEST(Overlay, HoldsSaysWhetherAnyByteOfARangeIsCached) {
  Overlay overlay;
  overlay.Write(10, "abcd");  // [10, 14)
  EXPECT_FALSE(overlay.Holds(0, 10));
  EXPECT_TRUE(overlay.Holds(0, 11));
  EXPECT_TRUE(overlay.Holds(13, 5));
  EXPECT_FALSE(overlay.Holds(14, 5));
  EXPECT_TRUE(overlay.Holds(11, 1));
  EXPECT_FALSE(overlay.Holds(12, 0));
}

TEST(PageCache, PowerLossDropsWhatWasNotFlushedAndCountsIt) {
  PageCache cache(1 << 20, ::testing::TempDir());
  CachedFile& a = cache.Get(1, 100, "a");
  ++a.open;
  ASSERT_EQ(cache.Write(a, 100, "xyz", 3, -1), 0);
  ASSERT_EQ(cache.Write(a, 0, "q", 1, -1), 0);
  EXPECT_EQ(a.size, 103u);
  CachedFile& b = cache.Get(2, 0, "b");  // not open: forgotten at the power loss
  ASSERT_EQ(cache.Write(b, 0, "hello", 5, -1), 0);
  const Loss loss = cache.PowerLoss();
  EXPECT_EQ(loss.files, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(loss.bytes, 9u);
  EXPECT_EQ(loss.writes, 3u);
  EXPECT_EQ(a.size, 100u);
  EXPECT_TRUE(a.overlay.empty());
  EXPECT_EQ(cache.Find(2), nullptr);
  EXPECT_NE(cache.Find(1), nullptr);
  EXPECT_EQ(cache.Stats().lost_bytes, 9u);
}

// A backing file of the test's own, and a directory for the undo logs.
class UndoLogged : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "page_cache_undo_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ + "/state");
    fd_ = ::open((dir_ + "/f").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_GE(fd_, 0);
    ASSERT_EQ(::pwrite(fd_, "0123456789", 10, 0), 10);  // durable
  }
  void TearDown() override {
    ::close(fd_);
    std::filesystem::remove_all(dir_);
  }
  std::string Backing() const {
    std::ifstream in(dir_ + "/f", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  size_t UndoFiles() const {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir_ + "/state"),
                                             std::filesystem::directory_iterator()));
  }
  std::string dir_;
  int fd_ = -1;
};

TEST_F(UndoLogged, PastItsLimitAFileWritesThroughAndAPowerLossRestoresItsDurableState) {
  PageCache cache(8, dir_ + "/state");
  CachedFile& a = cache.Get(1, 10, "f");
  ++a.open;
  ASSERT_EQ(cache.Write(a, 5, "ABCDEFG", 7, fd_), 0);
  EXPECT_EQ(Backing(), "0123456789") << "within the limit: in memory";
  EXPECT_EQ(UndoFiles(), 0u);
  ASSERT_EQ(cache.Write(a, 12, "xyz", 3, fd_), 0);  // 7 + 3 > 8: the 7 go through
  EXPECT_EQ(Backing(), "01234ABCDEFG");
  EXPECT_EQ(a.overlay.bytes(), 3u);
  ASSERT_EQ(cache.Write(a, 0, "123456789", 9, fd_), 0);  // more than the limit: all through
  EXPECT_EQ(Backing(), std::string("123456789EFGxyz"));
  EXPECT_TRUE(a.overlay.empty());
  EXPECT_EQ(a.size, 15u);
  EXPECT_EQ(UndoFiles(), 1u);
  EXPECT_EQ(cache.Stats().bytes_through, 19u);
  EXPECT_EQ(cache.Stats().spills, 2u);
  const Loss loss = cache.PowerLoss();
  EXPECT_EQ(loss.bytes, 19u);
  EXPECT_EQ(loss.writes, 3u);
  EXPECT_EQ(Backing(), "0123456789") << "exactly the durable file, its size too";
  EXPECT_EQ(a.size, 10u);
  EXPECT_EQ(UndoFiles(), 0u) << "the undo log goes with the power loss";
}

TEST_F(UndoLogged, TruncatesBetweenWritesThroughAreDurableAndNotUndone) {
  PageCache cache(8, dir_ + "/state");
  CachedFile& a = cache.Get(1, 10, "f");
  ++a.open;
  ASSERT_EQ(cache.Write(a, 0, "abcdefghij", 10, fd_), 0);
  ASSERT_EQ(::ftruncate(fd_, 4), 0);  // as the filesystem does, then tells the cache
  cache.Truncate(a, 4);
  ASSERT_EQ(::ftruncate(fd_, 8), 0);
  cache.Truncate(a, 8);  // durable now: "0123" and four zeros
  ASSERT_EQ(cache.Write(a, 0, "WXYZWXYZW", 9, fd_), 0);
  cache.PowerLoss();
  EXPECT_EQ(Backing(), std::string("0123\0\0\0\0", 8));
  EXPECT_EQ(UndoFiles(), 0u);
}

TEST_F(UndoLogged, AnFsyncMakesWhatWentThroughDurableAndDeletesTheLog) {
  PageCache cache(8, dir_ + "/state");
  CachedFile& a = cache.Get(1, 10, "f");
  ++a.open;
  ASSERT_EQ(cache.Write(a, 8, "abcdefghij", 10, fd_), 0);
  ASSERT_EQ(cache.Write(a, 0, "Q", 1, fd_), 0);
  EXPECT_EQ(UndoFiles(), 1u);
  ASSERT_EQ(cache.Flush(a, fd_), 0);
  EXPECT_EQ(UndoFiles(), 0u);
  ASSERT_EQ(cache.Write(a, 0, "lost", 4, fd_), 0);
  cache.PowerLoss();
  EXPECT_EQ(Backing(), "Q1234567abcdefghij");
}

TEST_F(UndoLogged, AFailingFsyncRestoresTheDurableFile) {
  PageCache cache(8, dir_ + "/state");
  CachedFile& a = cache.Get(1, 10, "f");
  ++a.open;
  ASSERT_EQ(cache.Write(a, 2, "abcdefghij", 10, fd_), 0);
  cache.ArmFsyncErrors(1);
  EXPECT_EQ(cache.Flush(a, fd_), -EIO);
  EXPECT_EQ(Backing(), "0123456789");
  EXPECT_EQ(a.size, 10u);
  EXPECT_EQ(UndoFiles(), 0u);
  EXPECT_EQ(cache.ArmFsyncErrors(0).dropped.bytes, 10u);
}

TEST_F(UndoLogged, ATornPowerLossKeepsSectorsOfALastWriteThatWentThrough) {
  PageCache cache(1024, dir_ + "/state");
  CachedFile& a = cache.Get(1, 10, "f");
  ++a.open;
  const std::string last(4096, 'x');  // more than the limit: through, not in memory
  ASSERT_EQ(cache.Write(a, 0, last.data(), last.size(), fd_), 0);
  for (uint64_t seed = 1;; ++seed) {  // a seed that keeps something
    ASSERT_LT(seed, 20u);
    Result<Loss> loss = cache.TornPowerLoss(
        seed, [&](const std::string& path, uint64_t offset, std::string_view d) {
          EXPECT_EQ(path, "f");
          return ::pwrite(fd_, d.data(), d.size(), static_cast<off_t>(offset)) ==
                         static_cast<ssize_t>(d.size())
                     ? 0
                     : -EIO;
        });
    ASSERT_TRUE(loss.ok()) << loss.message();
    if (loss->torn.empty() || loss->torn[0].kept.empty()) {
      EXPECT_EQ(Backing(), "0123456789");
      ASSERT_EQ(cache.Write(a, 0, last.data(), last.size(), fd_), 0);
      continue;
    }
    std::string expected = "0123456789";
    for (const auto& [from, to] : loss->torn[0].kept) {
      expected.resize(std::max<size_t>(expected.size(), to), '\0');
      expected.replace(from, to - from, to - from, 'x');
    }
    EXPECT_EQ(Backing(), expected) << "the durable file, and the kept sectors over it";
    EXPECT_EQ(a.size, expected.size());
    break;
  }
  EXPECT_EQ(UndoFiles(), 0u);
}

TEST(PageCache, TruncateIsDurable) {
  PageCache cache(1 << 20, ::testing::TempDir());
  CachedFile& a = cache.Get(1, 10, "a");
  ++a.open;
  ASSERT_EQ(cache.Write(a, 10, "abc", 3, -1), 0);
  cache.Truncate(a, 5);
  EXPECT_EQ(a.size, 5u);
  EXPECT_EQ(a.durable_size, 5u);
  cache.PowerLoss();
  EXPECT_EQ(a.size, 5u);
}

TEST(PageCache, AFullDiskRefusesWritesFsyncsAndCreatesAndChangesNothing) {
  PageCache cache(1 << 20, ::testing::TempDir());
  CachedFile& a = cache.Get(1, 0, "a");
  ++a.open;
  ASSERT_EQ(cache.Write(a, 0, "kept", 4, -1), 0);
  EXPECT_EQ(cache.SetFull(true), 0u);
  EXPECT_EQ(cache.Write(a, 4, "more", 4, -1), -ENOSPC);
  EXPECT_EQ(cache.Flush(a, -1), -ENOSPC) << "refused before it touches the backing file";
  EXPECT_EQ(cache.Create(), -ENOSPC);
  EXPECT_EQ(a.size, 4u);
  EXPECT_EQ(a.overlay.bytes(), 4u) << "what was cached stays cached";
  EXPECT_EQ(a.durable_size, 0u);
  EXPECT_EQ(cache.SetFull(false), 3u) << "three refused while it was full";
  EXPECT_EQ(cache.Create(), 0);
  EXPECT_EQ(cache.Stats().full_refusals, 3u);
  EXPECT_EQ(cache.SetFull(true), 0u) << "counted afresh each time it fills";
}

TEST(PageCache, AFailingFsyncDropsWhatItShouldHaveMadeDurable) {
  PageCache cache(1 << 20, ::testing::TempDir());
  CachedFile& a = cache.Get(1, 3, "a");
  ++a.open;
  ASSERT_EQ(cache.Write(a, 3, "lost", 4, -1), 0);
  ASSERT_EQ(cache.Write(a, 0, "L", 1, -1), 0);
  EXPECT_EQ(cache.ArmFsyncErrors(2).failed, 0u);
  EXPECT_EQ(cache.Flush(a, -1), -EIO) << "fails before it touches the backing file";
  EXPECT_TRUE(a.overlay.empty()) << "and its writes will never be written";
  EXPECT_EQ(a.size, 3u) << "reads return what is durable";
  EXPECT_EQ(a.writes, 0u);
  EXPECT_EQ(cache.Flush(a, -1), -EIO) << "the second of two; nothing left to drop";
  const FsyncErrors done = cache.ArmFsyncErrors(0);
  EXPECT_EQ(done.failed, 2u);
  EXPECT_EQ(done.left, 0u);
  EXPECT_EQ(done.dropped.files, std::vector<std::string>{"a"});
  EXPECT_EQ(done.dropped.bytes, 5u);
  EXPECT_EQ(done.dropped.writes, 2u);
  EXPECT_EQ(cache.Stats().failed_fsyncs, 2u);
  EXPECT_EQ(cache.Stats().lost_bytes, 5u);
  EXPECT_EQ(cache.ArmFsyncErrors(0).failed, 0u) << "reported once";
}

TEST(PageCache, FsyncErrorsArmedButNotFailedAreReportedLeft) {
  PageCache cache(1 << 20, ::testing::TempDir());
  cache.ArmFsyncErrors(3);
  const FsyncErrors done = cache.ArmFsyncErrors(0);
  EXPECT_EQ(done.failed, 0u);
  EXPECT_EQ(done.left, 3u);
}

// A torn power loss over `seed`: the last write of "a" (4 sectors at 1024) torn, what it kept
// written back (into `disk`), the earlier write of "a" and all of "b"'s lost.
struct Torn {
  std::unique_ptr<PageCache> cache = std::make_unique<PageCache>(1 << 20, ::testing::TempDir());
  Loss loss;
  std::map<uint64_t, std::string> disk;  // what reached the backing file, by offset
  CachedFile* a = nullptr;
};
Torn TearAt(uint64_t seed) {
  Torn t;
  PageCache* cache = t.cache.get();
  t.a = &cache->Get(1, 1024, "a");
  ++t.a->open;
  EXPECT_EQ(cache->Write(*t.a, 0, "early", 5, -1), 0);
  EXPECT_EQ(cache->Write(*t.a, 1024, std::string(2048, 'x').data(), 2048, -1), 0);
  CachedFile& b = cache->Get(2, 0, "b");
  ++b.open;
  EXPECT_EQ(cache->Write(b, 0, "b", 1, -1), 0);
  Result<Loss> loss =
      cache->TornPowerLoss(seed, [&](const std::string& path, uint64_t offset, std::string_view d) {
        EXPECT_TRUE(path == "a" || path == "b") << path;
        if (path == "a") t.disk[offset] = std::string(d);
        return 0;
      });
  EXPECT_TRUE(loss.ok()) << loss.message();
  t.loss = *loss;
  return t;
}

TEST(PageCache, ATornPowerLossKeepsWholeSectorsOfTheLastWriteNeverAllOfIt) {
  std::set<std::string> hows;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const Torn t = TearAt(seed);
    ASSERT_EQ(t.loss.torn.size(), 2u) << "a, then b (path order)";
    const TornWrite& w = t.loss.torn[0];
    EXPECT_EQ(w.file, "a");
    EXPECT_EQ(w.offset, 1024u);
    EXPECT_EQ(w.length, 2048u);
    hows.insert(w.how);
    uint64_t kept = 0, end = 1024;
    for (const auto& [from, to] : w.kept) {
      EXPECT_EQ(from % kSectorBytes, 0u);
      EXPECT_EQ(to % kSectorBytes, 0u);
      EXPECT_GE(from, 1024u);
      EXPECT_LE(to, 3072u);
      if (w.how == "prefix") {
        EXPECT_EQ(from, end) << "a prefix has no holes";
      }
      end = to;
      kept += to - from;
      ASSERT_EQ(t.disk.count(from), 1u);
      EXPECT_EQ(t.disk.at(from), std::string(to - from, 'x')) << "written back as written";
    }
    EXPECT_EQ(t.disk.size(), w.kept.size());
    EXPECT_LT(kept, 2048u) << "kept in part, never whole";
    EXPECT_TRUE(t.loss.torn[1].kept.empty()) << "b's one-sector write is kept whole or not at all";
    EXPECT_EQ(t.loss.bytes, 5u + 2048u + 1u - kept) << "what was kept is not lost";
    EXPECT_EQ(t.a->size, w.kept.empty() ? 1024u : std::max<uint64_t>(1024, w.kept.back().second))
        << "durable now: as long as what was kept";
    EXPECT_TRUE(t.a->overlay.empty());
    const Torn again = TearAt(seed);
    EXPECT_EQ(again.loss.torn[0].kept, w.kept) << "a seed tears alike";
  }
  EXPECT_EQ(hows, (std::set<std::string>{"prefix", "sectors"}));
}

}  // namespace
}  // namespace jepsen::diskfs
