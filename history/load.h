// Reading a history from any supported format, detected from content when asked.
#ifndef JEPSEN_HISTORY_LOAD_H_
#define JEPSEN_HISTORY_LOAD_H_

#include <optional>
#include <string>
#include <string_view>

#include "history/history.h"

namespace jepsen::history {

enum class Format {
  kAuto,     // detect from the first bytes
  kJsonl,    // our format (also accepts a JSON array of event objects, as elle-cli writes)
  kEdn,      // Jepsen history.edn: op maps, one per line or in one vector/list
  kEtcdLog,  // Porcupine's etcd logs: "INFO jepsen.util - <proc> <type> <f> <value>"
};

std::optional<Format> ParseFormat(std::string_view name);  // "auto", "jsonl", "edn", "etcd-log"
std::string_view ToString(Format format);
// Guesses the format from the start of a file. Never kAuto.
Format DetectFormat(std::string_view head);

Result<History> LoadHistory(const std::string& path, Format format = Format::kAuto);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_LOAD_H_
