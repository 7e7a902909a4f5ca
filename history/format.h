// The file formats a history can be read from.
#ifndef JEPSEN_HISTORY_FORMAT_H_
#define JEPSEN_HISTORY_FORMAT_H_

#include <optional>
#include <string_view>

namespace jepsen::history {

enum class Format {
  kAuto,       // detect from the first bytes
  kJsonl,      // our format: one JSON object per line
  kJsonArray,  // one JSON array of op maps, as elle-cli writes Jepsen histories
  kEdn,        // Jepsen history.edn: op maps, one per line or in one vector/list
  kEtcdLog,    // Porcupine's etcd logs: "INFO jepsen.util - <proc> <type> <f> <value>"
};

// "auto", "jsonl", "json-array", "edn", "etcd-log".
std::optional<Format> ParseFormat(std::string_view name);
std::string_view ToString(Format format);

// Whether the format carries Jepsen's own data (EDN, or elle-cli's JSON
// arrays of the same op maps) rather than this project's JSONL or a log.
bool IsJepsenData(Format format);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_FORMAT_H_
