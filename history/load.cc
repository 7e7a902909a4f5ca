#include "history/load.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "history/edn_reader.h"
#include "history/etcd_log.h"
#include "history/jsonl.h"

namespace jepsen::history {
namespace {

// Enough to see past a comment block or a few log lines to the first op.
constexpr size_t kHeadBytes = 8192;

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() && IsSpace(s[i])) ++i;
  return i;
}

// What the first key of a map starting at `i` ('{') looks like: '"' for JSON,
// ':' for EDN, 0 for neither.
char FirstKeyMark(std::string_view head, size_t i) {
  i = SkipSpace(head, i + 1);
  if (i >= head.size()) return 0;
  return head[i] == '"' || head[i] == ':' ? head[i] : 0;
}

}  // namespace

std::optional<Format> ParseFormat(std::string_view name) {
  if (name == "auto") return Format::kAuto;
  if (name == "jsonl") return Format::kJsonl;
  if (name == "edn") return Format::kEdn;
  if (name == "etcd-log") return Format::kEtcdLog;
  return std::nullopt;
}

std::string_view ToString(Format format) {
  switch (format) {
    case Format::kAuto:
      return "auto";
    case Format::kJsonl:
      return "jsonl";
    case Format::kEdn:
      return "edn";
    case Format::kEtcdLog:
      return "etcd-log";
  }
  return "?";
}

Format DetectFormat(std::string_view head) {
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  const size_t i = SkipSpace(head, 0);
  if (i < head.size()) {
    const char c = head[i];
    if (c == ';' || head.substr(i, 7) == "#jepsen") return Format::kEdn;
    if (c == '{') {
      const char mark = FirstKeyMark(head, i);
      if (mark == '"') return Format::kJsonl;
      if (mark == ':') return Format::kEdn;
    }
    if (c == '[' || c == '(') {
      // A vector or list of maps: JSON when the first key is a string.
      const size_t j = SkipSpace(head, i + 1);
      if (j < head.size() && head[j] == '{') {
        const char mark = FirstKeyMark(head, j);
        if (mark == ':') return Format::kEdn;
        if (mark == '"' && c == '[') return Format::kJsonl;
      }
      if (j < head.size() && head.substr(j, 7) == "#jepsen") return Format::kEdn;
    }
  }
  // Logs carry other noise before the first op line.
  if (head.find("jepsen.util - ") != std::string_view::npos) return Format::kEtcdLog;
  return Format::kJsonl;
}

Result<History> LoadHistory(const std::string& path, Format format) {
  if (format == Format::kAuto) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::Error(path + ": cannot open: " + std::strerror(errno));
    std::string head(kHeadBytes, '\0');
    size_t filled = 0;
    while (filled < head.size()) {
      ssize_t n = ::read(fd, head.data() + filled, head.size() - filled);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        Status error = Status::Error(path + ": read failed: " + std::strerror(errno));
        ::close(fd);
        return error;
      }
      if (n == 0) break;
      filled += static_cast<size_t>(n);
    }
    ::close(fd);
    head.resize(filled);
    format = DetectFormat(head);
  }
  switch (format) {
    case Format::kEdn:
      return ReadEdn(path);
    case Format::kEtcdLog:
      return ReadEtcdLog(path);
    case Format::kJsonl:
    case Format::kAuto:
      break;
  }
  return ReadJsonl(path);
}

}  // namespace jepsen::history
