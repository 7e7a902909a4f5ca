#include "history/load.h"

#include "history/edn_reader.h"
#include "history/etcd_log.h"
#include "history/input.h"
#include "history/json_text.h"
#include "history/jsonl.h"

namespace jepsen::history {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && IsSpace(s[i])) ++i;
  return i;
}

// What the first key of a map starting at `i` ('{') looks like: '"' for
// JSON, ':' for EDN, 0 for neither, nullopt when the text ends first.
std::optional<char> FirstKeyMark(std::string_view head, size_t i) {
  i = SkipSpace(head, i + 1);
  if (i >= head.size()) return std::nullopt;
  return head[i] == '"' || head[i] == ':' ? head[i] : 0;
}

// The first line of `head` that holds more than space, and its number, for
// saying what the file held instead of a history.
std::string FirstLineText(std::string_view head, int64_t& number) {
  number = 1;
  size_t start = 0;
  while (start < head.size()) {
    size_t end = head.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = head.size();
    const std::string_view line = head.substr(start, end - start);
    if (line.find_first_not_of(" \t\f\v") != std::string_view::npos) {
      constexpr size_t kShown = 60;
      return Quote(line.substr(0, kShown)) + (line.size() > kShown ? "..." : "");
    }
    start = end + (head.substr(end, 2) == "\r\n" ? 2 : 1);
    ++number;
  }
  return "";
}

}  // namespace

std::optional<Format> DetectFormat(std::string_view head, bool complete) {
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (head.substr(0, 3) == kBom) head.remove_prefix(3);
  const size_t i = SkipSpace(head, 0);
  auto more = [&](Format otherwise) -> std::optional<Format> {
    if (complete) return otherwise;
    return std::nullopt;
  };
  if (i == head.size()) return more(Format::kJsonl);  // blank: an empty history
  const char c = head[i];
  if (c == ';' || c == '#' || c == '(') return Format::kEdn;
  if (c == '{') {
    const std::optional<char> mark = FirstKeyMark(head, i);
    if (!mark) return more(Format::kJsonl);
    return *mark == ':' ? Format::kEdn : Format::kJsonl;
  }
  if (c == '[') {
    // A vector of maps: EDN when the first key is a keyword.
    const size_t j = SkipSpace(head, i + 1);
    if (j == head.size()) return more(Format::kJsonArray);
    if (head[j] == '#' || head[j] == '(') return Format::kEdn;
    if (head[j] == '{') {
      const std::optional<char> mark = FirstKeyMark(head, j);
      if (!mark) return more(Format::kJsonArray);
      if (*mark == ':') return Format::kEdn;
    }
    return Format::kJsonArray;
  }
  // Logs carry any amount of other output before and between the op lines.
  return Format::kEtcdLog;
}

Result<History> LoadHistory(const std::string& path, Format format,
                            std::optional<std::chrono::steady_clock::time_point> deadline) {
  Result<Input> opened = Input::Open(path);
  if (!opened.ok()) return opened.status();
  Input& in = *opened;
  if (deadline) in.set_deadline(*deadline);
  const bool detected = format == Format::kAuto;
  std::string first_line;
  int64_t first_line_number = 0;
  while (format == Format::kAuto) {
    std::optional<Format> seen = DetectFormat(in.data(), in.at_end());
    // So much blank space that nothing shows yet: JSONL, whose lines are capped.
    if (!seen && in.data().size() > kMaxUnitBytes) seen = Format::kJsonl;
    if (seen) {
      format = *seen;
      if (format == Format::kEtcdLog) first_line = FirstLineText(in.data(), first_line_number);
      break;
    }
    if (Status s = in.ReadMore(); !s.ok()) return s;
  }
  switch (format) {
    case Format::kEdn:
      return ReadEdn(in);
    case Format::kEtcdLog: {
      Result<History> log = ReadEtcdLog(in);
      if (detected && log.ok() && log->events.empty()) {
        return Status::Error(path + ":" + std::to_string(first_line_number) +
                             ": not a history: expected JSON lines, a JSON array, EDN or "
                             "Porcupine log lines (\"INFO jepsen.util - <process> <type> <f> "
                             "<value>\"); found " +
                             first_line);
      }
      return log;
    }
    case Format::kJsonArray:
      return ReadJsonArray(in);
    case Format::kJsonl:
    case Format::kAuto:
      break;
  }
  return ReadJsonl(in);
}

}  // namespace jepsen::history
