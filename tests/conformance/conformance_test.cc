// Every public history with a known linearizability verdict
// (../shared/histories/{knossos,porcupine,elle-cli}/MANIFEST.tsv) must get
// that verdict: no mismatch, no unknown. Files are read as jepsen-check reads
// them: format detected, nil reads as --nil-read auto says.
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
    if (!testing::IsLinearizabilityRow(row)) continue;  // elle-cli: Elle's checkers
    SCOPED_TRACE(corpus + "/" + row["file"]);
    Result<testing::CorpusCase> c = testing::CaseFor(dir.string(), row);
    ASSERT_TRUE(c.ok()) << c.message();
    Result<history::History> h = testing::LoadCase(*c);
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

// elle-cli's JSON twins of Knossos histories: the same verdicts as the EDN
// files they were written from, with nothing told but model and initial value.
TEST(Conformance, ElleCliKnossosTwins) {
  Tally tally;
  CheckCorpus("elle-cli", tally);
  if (!HasFatalFailure() && !IsSkipped()) {
    EXPECT_GE(tally.checked, 2);  // every "knossos ..." row; more may be added
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
