// Every public history with a known verdict (../shared/histories/{knossos,
// porcupine}/MANIFEST.tsv) must get that verdict: no mismatch, no unknown.
#include <gtest/gtest.h>

#include <filesystem>

#include "checker/linearizable/linearizable.h"
#include "history/load.h"
#include "tests/support/manifest.h"

namespace jepsen {
namespace {

namespace fs = std::filesystem;
const fs::path kShared = JEPSEN_SHARED_HISTORIES;

struct Tally {
  int checked = 0;
  int invalid = 0;
};

void CheckCorpus(const std::string& corpus, Tally& tally) {
  const fs::path dir = kShared / corpus;
  if (!fs::exists(dir / "MANIFEST.tsv")) {
    GTEST_SKIP() << dir << " absent: conformance skipped";
  }
  Result<std::vector<testing::ManifestRow>> rows =
      testing::ReadManifest((dir / "MANIFEST.tsv").string());
  ASSERT_TRUE(rows.ok()) << rows.message();
  for (const testing::ManifestRow& row : *rows) {
    SCOPED_TRACE(corpus + "/" + row["file"]);
    Result<testing::CorpusCase> c = testing::CaseFor(dir.string(), row);
    ASSERT_TRUE(c.ok()) << c.message();
    Result<history::History> h = history::LoadHistory(c->path, c->format);
    ASSERT_TRUE(h.ok()) << h.message();
    checker::linearizable::Options options = c->options;
    options.time_limit_seconds = 120;
    Result<checker::CheckResult> r = checker::linearizable::Check(*h, options);
    ASSERT_TRUE(r.ok()) << r.message();
    ASSERT_NE(r->verdict, checker::Verdict::kUnknown) << r->summary;
    EXPECT_EQ(r->verdict == checker::Verdict::kValid, c->expect_valid)
        << "expected " << row["expected"] << ", got " << r->summary << "\n"
        << r->explanation;
    ++tally.checked;
    if (r->verdict == checker::Verdict::kInvalid) ++tally.invalid;
  }
}

TEST(Conformance, KnossosCorpus) {
  Tally tally;
  CheckCorpus("knossos", tally);
  if (!HasFatalFailure() && !IsSkipped()) {
    EXPECT_EQ(tally.checked, 122);
    EXPECT_EQ(tally.invalid, 8);
  }
}

TEST(Conformance, PorcupineCorpus) {
  Tally tally;
  CheckCorpus("porcupine", tally);
  if (!HasFatalFailure() && !IsSkipped()) {
    EXPECT_EQ(tally.checked, 109);
  }
}

}  // namespace
}  // namespace jepsen
