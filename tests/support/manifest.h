// The public corpora's MANIFEST.tsv files (../shared/histories/{knossos,
// porcupine}): which file, which format and model, which verdict. Shared by
// the conformance test and bench/corpus_bench so that both check every file
// the same way.
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

// How one row is loaded and checked.
struct CorpusCase {
  std::string path;  // the history file: the corpus directory joined with row["file"]
  history::Format format = history::Format::kAuto;
  checker::linearizable::Options options;
  bool expect_valid = false;
};

// Maps a row of the manifest in `dir` to its case: etcd logs are
// cas-register from nil with nil reads unset; Knossos EDN reads nil as "any";
// kv-append is our kv. Errors name the row's file and the bad field.
Result<CorpusCase> CaseFor(const std::string& dir, const ManifestRow& row);

}  // namespace jepsen::testing

#endif  // JEPSEN_TESTS_SUPPORT_MANIFEST_H_
