// Reading a history from any supported format, detected from content when asked.
#ifndef JEPSEN_HISTORY_LOAD_H_
#define JEPSEN_HISTORY_LOAD_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "history/format.h"
#include "history/history.h"

namespace jepsen::history {

// The format the first bytes of a file show, from its first non-blank byte:
// '{' with a string key: JSONL; '[' then such an object: a JSON array; a
// keyword key, '(', ';' or '#': EDN; anything else: a Porcupine etcd log
// (whose op lines may follow any amount of other log output). Blank text is
// JSONL (an empty history). nullopt while `head` is too short to tell and
// more may follow (`complete` false); never kAuto.
std::optional<Format> DetectFormat(std::string_view head, bool complete = true);

// Reads `path` exactly once, front to back, so pipes, FIFOs and /dev/stdin
// work; with kAuto the format is detected from the bytes read. The result's
// `format` says what it was read as. Errors name the file and line (or JSON
// array element). Text detected as an etcd log that holds no op line at all
// is an error naming its first line: it is no history this tool reads.
// With a `deadline`, reading stops once it passes (checked every few MB): the
// error then starts with "<path>: " kTimeLimitWhileReading.
Result<History> LoadHistory(
    const std::string& path, Format format = Format::kAuto,
    std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);
inline constexpr const char* kTimeLimitWhileReading = "time limit reached while reading";

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_LOAD_H_
