#include "tests/support/manifest.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

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

namespace {

constexpr std::string_view kKnossos = "knossos ";

// elle-cli's manifest names Knossos cases by checker: "knossos mutex",
// "knossos cas-register (init 0)". Returns the model and the initial value.
std::pair<std::string, std::string> KnossosChecker(const std::string& checker) {
  std::string rest = checker.substr(kKnossos.size());
  std::string initial;
  const size_t init = rest.find(" (init ");
  if (init != std::string::npos && rest.back() == ')') {
    initial = rest.substr(init + 7, rest.size() - init - 8);
    rest.resize(init);
  }
  return {rest, initial};
}

}  // namespace

bool IsLinearizabilityRow(const ManifestRow& row) {
  return !row["model"].empty() || row["checker"].rfind(kKnossos, 0) == 0;
}

Result<CorpusCase> CaseFor(const std::string& dir, const ManifestRow& row) {
  CorpusCase c;
  c.path = (std::filesystem::path(dir) / row["file"]).string();
  c.format =
      row["format"] == "jepsen-etcd-log" ? history::Format::kEtcdLog : history::Format::kAuto;
  std::string model = row["model"];
  std::string initial_text = row["initial_state"];
  if (model.empty() && row["checker"].rfind(kKnossos, 0) == 0) {
    std::tie(model, initial_text) = KnossosChecker(row["checker"]);
  }
  if (model.empty()) return Status::Error(row["file"] + ": no model (not a linearizability row)");
  c.options.model = model == "kv-append" ? "string-kv" : model;
  Result<Json> initial = InitialState(initial_text);
  if (!initial.ok()) {
    return Status::Error(row["file"] + ": initial state '" + initial_text +
                         "': " + initial.message());
  }
  c.options.model_options.has_initial = !initial->is_null() || initial_text == "nil";
  c.options.model_options.initial = *initial;
  c.expect_valid = row["expected"] == "linearizable" || row["expected"] == "valid";
  return c;
}

Result<history::History> LoadCase(CorpusCase& c) {
  Result<history::History> h = history::LoadHistory(c.path, c.format);
  if (h.ok()) c.options.model_options.nil_read_any = history::IsJepsenData(h->format);
  return h;
}

}  // namespace jepsen::testing
