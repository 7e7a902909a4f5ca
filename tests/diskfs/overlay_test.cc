#include "diskfs/overlay.h"

#include <gtest/gtest.h>

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
  PageCache cache(1 << 20);
  CachedFile& a = cache.Get(1, 100, "a");
  ++a.open;
  ASSERT_EQ(cache.Write(a, 100, "xyz", 3), 0);
  ASSERT_EQ(cache.Write(a, 0, "q", 1), 0);
  EXPECT_EQ(a.size, 103u);
  CachedFile& b = cache.Get(2, 0, "b");  // not open: forgotten at the power loss
  ASSERT_EQ(cache.Write(b, 0, "hello", 5), 0);
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

TEST(PageCache, AFileHoldsNoMoreThanItsLimit) {
  PageCache cache(8);
  CachedFile& a = cache.Get(1, 0, "a");
  EXPECT_EQ(cache.Write(a, 0, "12345678", 8), 0);
  EXPECT_EQ(cache.Write(a, 8, "9", 1), -ENOSPC);
  EXPECT_EQ(a.size, 8u);
  EXPECT_EQ(cache.Stats().refused_writes, 1u);
}

TEST(PageCache, TruncateIsDurable) {
  PageCache cache(1 << 20);
  CachedFile& a = cache.Get(1, 10, "a");
  ++a.open;
  ASSERT_EQ(cache.Write(a, 10, "abc", 3), 0);
  cache.Truncate(a, 5);
  EXPECT_EQ(a.size, 5u);
  EXPECT_EQ(a.durable_size, 5u);
  cache.PowerLoss();
  EXPECT_EQ(a.size, 5u);
}

TEST(PageCache, AFullDiskRefusesWritesFsyncsAndCreatesAndChangesNothing) {
  PageCache cache(1 << 20);
  CachedFile& a = cache.Get(1, 0, "a");
  ++a.open;
  ASSERT_EQ(cache.Write(a, 0, "kept", 4), 0);
  EXPECT_EQ(cache.SetFull(true), 0u);
  EXPECT_EQ(cache.Write(a, 4, "more", 4), -ENOSPC);
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
  PageCache cache(1 << 20);
  CachedFile& a = cache.Get(1, 3, "a");
  ++a.open;
  ASSERT_EQ(cache.Write(a, 3, "lost", 4), 0);
  ASSERT_EQ(cache.Write(a, 0, "L", 1), 0);
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
  PageCache cache(1 << 20);
  cache.ArmFsyncErrors(3);
  const FsyncErrors done = cache.ArmFsyncErrors(0);
  EXPECT_EQ(done.failed, 0u);
  EXPECT_EQ(done.left, 3u);
}

// A torn power loss over `seed`: the last write of "a" (4 sectors at 1024) torn, what it kept
// written back (into `disk`), the earlier write of "a" and all of "b"'s lost.
struct Torn {
  std::unique_ptr<PageCache> cache = std::make_unique<PageCache>(1 << 20);
  Loss loss;
  std::map<uint64_t, std::string> disk;  // what reached the backing file, by offset
  CachedFile* a = nullptr;
};
Torn TearAt(uint64_t seed) {
  Torn t;
  PageCache* cache = t.cache.get();
  t.a = &cache->Get(1, 1024, "a");
  ++t.a->open;
  EXPECT_EQ(cache->Write(*t.a, 0, "early", 5), 0);
  EXPECT_EQ(cache->Write(*t.a, 1024, std::string(2048, 'x').data(), 2048), 0);
  CachedFile& b = cache->Get(2, 0, "b");
  ++b.open;
  EXPECT_EQ(cache->Write(b, 0, "b", 1), 0);
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
