// Every public history with a known verdict (../shared/histories/{knossos,
// porcupine}/MANIFEST.tsv) must get that verdict: no mismatch, no unknown.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "checker/linearizable/linearizable.h"
#include "history/edn.h"
#include "history/load.h"

namespace jepsen {
namespace {

namespace fs = std::filesystem;
using history::Json;

const fs::path kShared = JEPSEN_SHARED_HISTORIES;

struct Row {
  std::map<std::string, std::string> fields;
  const std::string& operator[](const std::string& name) const {
    static const std::string kEmpty;
    auto it = fields.find(name);
    return it == fields.end() ? kEmpty : it->second;
  }
};

std::vector<Row> ReadManifest(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> columns;
  std::vector<Row> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) cells.push_back(cell);
    if (columns.empty()) {
      columns = cells;
      continue;
    }
    Row row;
    for (size_t i = 0; i < cells.size() && i < columns.size(); ++i) row.fields[columns[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

// The manifests' initial states: 0, nil, free, {:x 0 :y 0}, "" per key.
Json InitialState(const std::string& text) {
  if (text == "free" || text.empty()) return nullptr;
  if (text.rfind("\"\"", 0) == 0) return "";
  history::EdnReader reader(text);
  auto form = reader.Next();
  EXPECT_TRUE(form.ok() && form->has_value()) << text;
  return form.ok() && form->has_value() ? (*form)->value : Json();
}

struct Tally {
  int checked = 0;
  int invalid = 0;
};

void CheckCorpus(const std::string& corpus, Tally& tally) {
  const fs::path dir = kShared / corpus;
  if (!fs::exists(dir / "MANIFEST.tsv")) {
    GTEST_SKIP() << dir << " absent: conformance skipped";
  }
  for (const Row& row : ReadManifest(dir / "MANIFEST.tsv")) {
    SCOPED_TRACE(corpus + "/" + row["file"]);
    std::string model = row["model"];
    if (model == "kv-append") model = "kv";
    history::Format format = row["format"] == "jepsen-etcd-log" ? history::Format::kEtcdLog
                                                                : history::Format::kEdn;
    Result<history::History> h = history::LoadHistory((dir / row["file"]).string(), format);
    ASSERT_TRUE(h.ok()) << h.message();
    checker::linearizable::Options options;
    options.model = model;
    Json initial = InitialState(row["initial_state"]);
    options.model_options.has_initial = !initial.is_null() || row["initial_state"] == "nil";
    options.model_options.initial = initial;
    // Knossos' registers read nil as "observed nothing"; Porcupine's etcd model does not.
    options.model_options.nil_read_any = format == history::Format::kEdn;
    options.time_limit_seconds = 120;
    Result<checker::CheckResult> r = checker::linearizable::Check(*h, options);
    ASSERT_TRUE(r.ok()) << r.message();
    const bool expect_valid = row["expected"] == "linearizable";
    ASSERT_NE(r->verdict, checker::Verdict::kUnknown) << r->summary;
    EXPECT_EQ(r->verdict == checker::Verdict::kValid, expect_valid)
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
