#include "history/format.h"

namespace jepsen::history {

std::optional<Format> ParseFormat(std::string_view name) {
  for (Format f :
       {Format::kAuto, Format::kJsonl, Format::kJsonArray, Format::kEdn, Format::kEtcdLog}) {
    if (name == ToString(f)) return f;
  }
  return std::nullopt;
}

std::string_view ToString(Format format) {
  switch (format) {
    case Format::kAuto:
      return "auto";
    case Format::kJsonl:
      return "jsonl";
    case Format::kJsonArray:
      return "json-array";
    case Format::kEdn:
      return "edn";
    case Format::kEtcdLog:
      return "etcd-log";
  }
  return "?";
}

bool IsJepsenData(Format format) { return format == Format::kEdn || format == Format::kJsonArray; }

}  // namespace jepsen::history
