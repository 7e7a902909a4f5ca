#include "tests/support/manifest.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "history/edn.h"

namespace jepsen::testing {
namespace {

using history::Json;

// The manifests' initial states: 0, nil, free, {:x 0 :y 0}, "" per key.
Result<Json> InitialState(const std::string& text) {
  if (text == "free" || text.empty()) return Json();
  if (text.rfind("\"\"", 0) == 0) return Json("");
  history::EdnReader reader(text);
  auto form = reader.Next();
  if (!form.ok()) return form.status();
  if (!form->has_value()) return Status::Error("no value");
  return (*form)->value;
}

}  // namespace

const std::string& ManifestRow::operator[](const std::string& name) const {
  static const std::string kEmpty;
  auto it = fields.find(name);
  return it == fields.end() ? kEmpty : it->second;
}

Result<std::vector<ManifestRow>> ReadManifest(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Error(path + ": cannot open");
  std::string line;
  std::vector<std::string> columns;
  std::vector<ManifestRow> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) cells.push_back(cell);
    if (columns.empty()) {
      columns = cells;
      continue;
    }
    ManifestRow row;
    for (size_t i = 0; i < cells.size() && i < columns.size(); ++i) {
      row.fields[columns[i]] = cells[i];
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<CorpusCase> CaseFor(const std::string& dir, const ManifestRow& row) {
  CorpusCase c;
  c.path = (std::filesystem::path(dir) / row["file"]).string();
  c.format = row["format"] == "jepsen-etcd-log" ? history::Format::kEtcdLog : history::Format::kEdn;
  c.options.model = row["model"] == "kv-append" ? "kv" : row["model"];
  Result<Json> initial = InitialState(row["initial_state"]);
  if (!initial.ok()) {
    return Status::Error(row["file"] + ": initial_state '" + row["initial_state"] +
                         "': " + initial.message());
  }
  c.options.model_options.has_initial = !initial->is_null() || row["initial_state"] == "nil";
  c.options.model_options.initial = *initial;
  // Knossos' registers read nil as "observed nothing"; Porcupine's etcd model does not.
  c.options.model_options.nil_read_any = c.format == history::Format::kEdn;
  c.expect_valid = row["expected"] == "linearizable";
  return c;
}

}  // namespace jepsen::testing
