#include "history/import.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace jepsen::history {
namespace {

// Whether a field (time or index) can be trusted on every event; when not,
// the line of the first event that breaks the rule, and how.
struct Verdict {
  bool usable = true;
  int64_t line = 0;
  std::string why;
};

Verdict Judge(const std::vector<ImportedEvent>& events, bool ImportedEvent::*has,
              int64_t Event::*field, const std::string& name, bool strictly_increasing) {
  bool any = false;
  for (const ImportedEvent& e : events) any = any || e.*has;
  if (!any) return Verdict{};  // absent everywhere: nothing to distrust
  const int64_t* last = nullptr;
  for (const ImportedEvent& e : events) {
    if (!(e.*has)) {
      return {false, e.event.line, "field '" + name + "' missing here (other events have it)"};
    }
    const int64_t& v = e.event.*field;
    if (last != nullptr && (v < *last || (strictly_increasing && v == *last))) {
      return {false, e.event.line,
              "field '" + name + "' " +
                  (strictly_increasing ? "not strictly increasing" : "goes backwards") + " here (" +
                  std::to_string(v) + " after " + std::to_string(*last) + ")"};
    }
    last = &v;
  }
  return Verdict{};
}

void Keep(Event& event, const std::string& key, int64_t value) {
  if (event.extra.is_null()) event.extra = Json::object();
  event.extra[key] = value;
}

}  // namespace

Status AddImported(std::vector<ImportedEvent> events, std::string_view origin,
                   HistoryBuilder& builder) {
  const Verdict time = Judge(events, &ImportedEvent::has_time, &Event::time, "time", false);
  const Verdict index = Judge(events, &ImportedEvent::has_index, &Event::index, "index", true);
  const std::string time_key = std::string(origin) + "_time";
  const std::string index_key = std::string(origin) + "_index";
  if (!time.usable) {
    builder.Warn(time.line, time.why +
                                "; events are ordered by their position in the file and "
                                "each original time is kept as '" +
                                time_key + "'");
  }
  if (!index.usable) {
    builder.Warn(index.line, index.why +
                                 "; events are numbered by their position in the file "
                                 "and each original index is kept as '" +
                                 index_key + "'");
  }
  for (ImportedEvent& e : events) {
    if (!time.usable && e.has_time) {
      Keep(e.event, time_key, e.event.time);
      e.has_time = false;
    }
    if (!index.usable && e.has_index) {
      Keep(e.event, index_key, e.event.index);
      e.has_index = false;
    }
    if (Status s = builder.Add(std::move(e.event), e.has_time, e.has_index); !s.ok()) return s;
  }
  return Status();
}

Result<std::string> ReadWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  std::string text;
  struct stat st;
  if (::fstat(fd, &st) == 0 && st.st_size > 0) text.reserve(static_cast<size_t>(st.st_size));
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status error = Status::Error(path + ": read failed: " + std::strerror(errno));
      ::close(fd);
      return error;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

int64_t LastNonBlankLine(std::string_view text) {
  int64_t line = 1, last = 0;
  for (char c : text) {
    if (c == '\n') {
      ++line;
    } else if (c != ' ' && c != '\t' && c != '\r' && c != ',') {
      last = line;
    }
  }
  return last;
}

}  // namespace jepsen::history
