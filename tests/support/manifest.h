// The public corpora's MANIFEST.tsv files (../shared/histories/{knossos,
// porcupine,elle-cli}): which file, which format and model, which verdict.
// Shared by the conformance test and bench/corpus_bench so that both check
// every file the same way, and the way jepsen-check would.
#ifndef JEPSEN_TESTS_SUPPORT_MANIFEST_H_
#define JEPSEN_TESTS_SUPPORT_MANIFEST_H_

#include <map>
#include <string>
#include <vector>

#include "checker/linearizable/linearizable.h"
#include "history/load.h"

namespace jepsen::testing {

// One manifest line, by column name; a missing column reads as "".
struct ManifestRow {
  std::map<std::string, std::string> fields;
  const std::string& operator[](const std::string& name) const;
};

// The rows of a tab-separated manifest whose first line names the columns.
Result<std::vector<ManifestRow>> ReadManifest(const std::string& path);

// Whether a row is a linearizability case: it has a `model`, or (elle-cli's
// manifest) its checker is "knossos <model>[ (init <value>)]".
bool IsLinearizabilityRow(const ManifestRow& row);

// How one row is loaded and checked.
struct CorpusCase {
  std::string path;  // the history file: the corpus directory joined with row["file"]
  history::Format format = history::Format::kAuto;
  checker::linearizable::Options options;
  bool expect_valid = false;
};

// Maps a linearizability row of the manifest in `dir` to its case: etcd logs
// are cas-register from nil; other files' formats are detected;
// kv-append is Porcupine's string-kv. Errors name the row's file and the bad
// field.
Result<CorpusCase> CaseFor(const std::string& dir, const ManifestRow& row);

// Loads the case's history and sets what depends on what was read, as
// jepsen-check's defaults do: nil reads observe nothing in Jepsen's data
// (EDN, JSON arrays; --nil-read auto).
Result<history::History> LoadCase(CorpusCase& c);

}  // namespace jepsen::testing

#endif  // JEPSEN_TESTS_SUPPORT_MANIFEST_H_
