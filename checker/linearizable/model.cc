#include "checker/linearizable/model.h"

#include "checker/linearizable/models.h"
#include "history/json_text.h"

namespace jepsen::checker::linearizable {
namespace {

struct Entry {
  const char* name;
  std::unique_ptr<Model> (*make)(const ModelOptions&);
  const char* note = "";
};

const Entry kModels[] = {
    {"register", [](const ModelOptions& o) { return MakeRegister(RegisterKind::kRegister, o); }},
    {"cas-register",
     [](const ModelOptions& o) { return MakeRegister(RegisterKind::kCasRegister, o); }},
    {"kv", [](const ModelOptions& o) { return MakeRegister(RegisterKind::kKv, o); },
     "a cas-register per key"},
    {"string-kv", [](const ModelOptions& o) { return MakeRegister(RegisterKind::kStringKv, o); },
     "Porcupine's get/put/append"},
    {"multi-register", MakeMultiRegister},
    {"mutex", MakeMutex},
    {"set", MakeSet},
    {"fifo-queue", MakeFifoQueue},
    {"fenced-register", MakeFencedRegister},
};

}  // namespace

Status OpError(const history::History& history, const history::Op& op, std::string_view model,
               const std::string& what) {
  return Status::Error(history.where(history.invocation(op)) + ": " + std::string(model) +
                       " model: " + what);
}

Result<ModelFactory> FindModel(std::string_view name, const ModelOptions& options) {
  for (const Entry& entry : kModels) {
    if (name == entry.name) {
      auto make = entry.make;
      return ModelFactory([make, options] { return make(options); });
    }
  }
  std::string known;
  for (const std::string& n : ModelNames()) known += (known.empty() ? "" : ", ") + n;
  return Status::Error("unknown model " + history::Quote(name) + " (known: " + known + ")");
}

std::string_view ModelNote(std::string_view name) {
  for (const Entry& entry : kModels) {
    if (name == entry.name) return entry.note;
  }
  return "";
}

std::vector<std::string> ModelNames() {
  std::vector<std::string> names;
  for (const Entry& entry : kModels) names.emplace_back(entry.name);
  return names;
}

}  // namespace jepsen::checker::linearizable
