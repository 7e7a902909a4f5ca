#include "history/jsonl.h"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "history/import.h"

namespace jepsen::history {
namespace {

constexpr const char* kFormat = "jepsen-history/1";

Json ToNlohmann(simdjson::dom::element element) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::ARRAY: {
      Json out = Json::array();
      simdjson::dom::array array = element.get_array().value_unsafe();
      for (simdjson::dom::element item : array) {
        out.push_back(ToNlohmann(item));
      }
      return out;
    }
    case element_type::OBJECT: {
      Json out = Json::object();
      simdjson::dom::object object = element.get_object().value_unsafe();
      for (auto field : object) {
        out[std::string(field.key)] = ToNlohmann(field.value);
      }
      return out;
    }
    case element_type::INT64:
      return element.get_int64().value_unsafe();
    case element_type::UINT64:
      return element.get_uint64().value_unsafe();
    case element_type::DOUBLE:
      return element.get_double().value_unsafe();
    case element_type::STRING:
      return std::string(element.get_string().value_unsafe());
    case element_type::BOOL:
      return element.get_bool().value_unsafe();
    case element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

// Turns one JSON object of the history format into an event. Shared by the
// JSONL reader and the reader of JSON arrays (elle-cli's output).
class EventParser {
 public:
  explicit EventParser(std::string source) : source_(std::move(source)) {}

  Status Fail(int64_t line, const std::string& message) const {
    return Status::Error(source_ + ":" + std::to_string(line) + ": " + message);
  }

  Status Parse(simdjson::dom::object object, int64_t number, ImportedEvent& out) const {
    Event& event = out.event;
    event.line = number;
    bool has_process = false, has_f = false;
    for (auto field : object) {
      std::string_view key = field.key;
      simdjson::dom::element v = field.value;
      if (key == "type") {
        std::string_view text;
        if (v.get_string().get(text)) return Fail(number, "field 'type' must be a string");
        auto type = ParseEventType(text);
        if (!type) {
          return Fail(number, "field 'type' is \"" + std::string(text) +
                                  "\"; expected invoke, ok, fail or info");
        }
        event.type = *type;
      } else if (key == "process") {
        if (Status s = ParseProcess(v, number, event); !s.ok()) return s;
        has_process = true;
      } else if (key == "f") {
        std::string_view text;
        if (v.get_string().get(text)) return Fail(number, "field 'f' must be a string");
        event.f = text;
        has_f = true;
      } else if (key == "key") {
        if (!v.is_string() && !v.is_int64() && !v.is_null()) {
          return Fail(number, "field 'key' must be a string or an integer");
        }
        event.key = ToNlohmann(v);
      } else if (key == "value") {
        event.value = ToNlohmann(v);
      } else if (key == "time") {
        if (v.get_int64().get(event.time)) {
          return Fail(number, "field 'time' must be an integer (nanoseconds)");
        }
        out.has_time = true;
      } else if (key == "index") {
        if (v.get_int64().get(event.index)) return Fail(number, "field 'index' must be an integer");
        out.has_index = true;
      } else if (key == "node") {
        event.node = TextOf(v);
      } else if (key == "error") {
        event.error = TextOf(v);
      } else {
        if (event.extra.is_null()) event.extra = Json::object();
        event.extra[std::string(key)] = ToNlohmann(v);
      }
    }
    if (object["type"].error()) return Fail(number, "missing field 'type'");
    if (!has_process) return Fail(number, "missing field 'process'");
    if (!has_f) return Fail(number, "missing field 'f'");
    return Status();
  }

 private:
  Status ParseProcess(simdjson::dom::element v, int64_t number, Event& event) const {
    std::string_view text;
    int64_t process;
    if (!v.get_string().get(text) && text == "nemesis") {
      event.process = kNemesis;
    } else if (!v.get_int64().get(process) && process >= 0) {
      event.process = process;
    } else {
      return Fail(number, "field 'process' must be an integer >= 0 or \"nemesis\"");
    }
    return Status();
  }

  // Strings as they are; anything else (Jepsen errors may be structured) as JSON text.
  static std::string TextOf(simdjson::dom::element v) {
    std::string_view text;
    if (!v.get_string().get(text)) return std::string(text);
    if (v.is_null()) return "";
    return simdjson::to_string(v);
  }

  std::string source_;
};

// Parses lines into events, feeding the builder. One instance per file.
class LineParser {
 public:
  explicit LineParser(std::string source) : events_(source), builder_(std::move(source)) {}

  // REQUIRES: SIMDJSON_PADDING readable bytes follow `line`.
  Status Parse(std::string_view line, int64_t number, bool last_without_newline) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) return Status();
    simdjson::dom::element root;
    auto error = parser_.parse(line.data(), line.size(), false).get(root);
    if (error) {
      if (last_without_newline) {
        builder_.Warn(number, "final line cut short (no newline, not a whole JSON object); "
                              "ignored");
        return Status();
      }
      return events_.Fail(number, std::string("malformed JSON: ") + simdjson::error_message(error));
    }
    simdjson::dom::object object;
    if (root.get_object().get(object)) return events_.Fail(number, "not a JSON object");
    bool has_type = object["type"].error() != simdjson::NO_SUCH_FIELD;
    if (!has_type && object["format"].error() != simdjson::NO_SUCH_FIELD) {
      return ParseHeader(root, number);
    }
    seen_line_ = true;
    ImportedEvent event;
    if (Status s = events_.Parse(object, number, event); !s.ok()) return s;
    return builder_.Add(std::move(event.event), event.has_time, event.has_index);
  }

  void Reserve(size_t events) { builder_.Reserve(events); }
  History Finish() && { return std::move(builder_).Finish(); }

 private:
  Status ParseHeader(simdjson::dom::element object, int64_t number) {
    if (seen_line_) {
      return events_.Fail(number, "header line (with 'format') must be the first line");
    }
    seen_line_ = true;
    std::string_view format;
    if (object["format"].get_string().get(format) || format != kFormat) {
      return events_.Fail(number, "field 'format' must be \"" + std::string(kFormat) + "\"");
    }
    builder_.SetHeader(ToNlohmann(object));
    return Status();
  }

  EventParser events_;
  HistoryBuilder builder_;
  simdjson::dom::parser parser_;
  bool seen_line_ = false;
};

bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// The offset of the first byte that is not JSON whitespace, or `size`.
size_t SkipJsonSpace(const char* data, size_t size, size_t i, int64_t& line) {
  for (; i < size && IsJsonSpace(data[i]); ++i) {
    if (data[i] == '\n') ++line;
  }
  return i;
}

// Where the first byte that is not JSON whitespace is, or `size`.
size_t FirstNonSpace(const char* data, size_t size) {
  int64_t lines = 0;
  return SkipJsonSpace(data, size, 0, lines);
}

// Reads a file that is one JSON array of event objects, as elle-cli writes
// them. The array is cut into elements by a scan that only counts brackets
// (no recursion, and it learns each element's line); each element is then
// parsed by simdjson and turned into an event by the JSONL reader's rules.
// Jepsen's own data, so :time and :index are judged as AddImported says.
// REQUIRES: `data` is a whole file; SIMDJSON_PADDING readable bytes follow
// data[size - 1].
Result<History> ParseJsonArray(const char* data, size_t size, const std::string& source) {
  EventParser events(source);
  HistoryBuilder builder(source);
  simdjson::dom::parser parser;
  std::vector<ImportedEvent> imported;
  int64_t line = 1;
  const int64_t last_line = LastNonBlankLine(std::string_view(data, size));
  size_t i = SkipJsonSpace(data, size, 0, line);
  ++i;  // the '['
  bool need_comma = false;
  while (true) {
    i = SkipJsonSpace(data, size, i, line);
    if (i == size) {  // all elements whole; only the ']' is missing
      builder.Warn(line, "the array is cut short at the end of the file (no closing ']')");
      break;
    }
    if (data[i] == ']') {
      if (SkipJsonSpace(data, size, i + 1, line) != size) {
        return events.Fail(line, "malformed JSON: text after the array's closing ']'");
      }
      break;
    }
    if (need_comma) {
      if (data[i] != ',') return events.Fail(line, "malformed JSON: expected ',' or ']'");
      const int64_t comma_line = line;
      i = SkipJsonSpace(data, size, i + 1, line);
      if (i < size && data[i] == ']') {
        return events.Fail(comma_line, "malformed JSON: ',' before ']'");
      }
      need_comma = false;
      continue;
    }
    const size_t start = i;
    const int64_t start_line = line;
    int depth = 0;
    bool in_string = false;
    for (; i < size; ++i) {
      const char c = data[i];
      if (c == '\n') ++line;
      if (in_string) {
        if (c == '\\') {
          ++i;
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) break;  // the array's own ']' after a scalar
        if (--depth == 0) {
          ++i;
          break;
        }
      } else if (depth == 0 && (c == ',' || IsJsonSpace(c))) {
        break;
      }
    }
    if (depth > 0 || in_string || i > size) {
      if (start_line >= last_line) {
        builder.Warn(start_line, "final element cut short at the end of the file; ignored");
        break;
      }
      return events.Fail(start_line, "malformed JSON: the element is never closed");
    }
    simdjson::dom::element root;
    if (auto error = parser.parse(data + start, i - start, false).get(root)) {
      return events.Fail(start_line,
                         std::string("malformed JSON: ") + simdjson::error_message(error));
    }
    simdjson::dom::object object;
    if (root.get_object().get(object)) return events.Fail(start_line, "not a JSON object");
    ImportedEvent event;
    if (Status s = events.Parse(object, start_line, event); !s.ok()) return s;
    imported.push_back(std::move(event));
    need_comma = true;
  }
  if (Status s = AddImported(std::move(imported), "json", builder); !s.ok()) return s;
  return std::move(builder).Finish();
}

// Splits a growing buffer into lines; `consume` is called with each whole line.
// Returns how many bytes were consumed (the rest is an incomplete line).
template <class Consume>
Result<size_t> ForEachLine(const char* data, size_t size, int64_t& line_number, Consume consume) {
  size_t start = 0;
  while (start < size) {
    const void* nl = std::memchr(data + start, '\n', size - start);
    if (nl == nullptr) break;
    size_t end = static_cast<const char*>(nl) - data;
    ++line_number;
    if (Status s = consume(std::string_view(data + start, end - start), line_number, false);
        !s.ok()) {
      return s;
    }
    start = end + 1;
  }
  return start;
}

}  // namespace

Result<History> ReadJsonl(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  LineParser parser(path);
  // Event lines are rarely under 64 bytes; reserving for that many means big
  // files are read without the event vector being moved as it grows (pages
  // reserved but never written are never touched, so cost no memory).
  constexpr size_t kShortLine = 64;
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    parser.Reserve(static_cast<size_t>(st.st_size) / kShortLine);
  }
  auto consume = [&](std::string_view line, int64_t number, bool last) {
    return parser.Parse(line, number, last);
  };
  constexpr size_t kChunk = 4 << 20;
  std::vector<char> buffer(kChunk + simdjson::SIMDJSON_PADDING);
  size_t filled = 0;
  int64_t line_number = 0;
  bool decided = false;  // whether the file is JSONL or one JSON array
  while (true) {
    if (buffer.size() - filled < kChunk / 2 + simdjson::SIMDJSON_PADDING) {
      buffer.resize(buffer.size() * 2);  // a line longer than the chunk
    }
    ssize_t n = ::read(fd, buffer.data() + filled, buffer.size() - filled -
                                                       simdjson::SIMDJSON_PADDING);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status error = Status::Error(path + ": read failed: " + std::strerror(errno));
      ::close(fd);
      return error;
    }
    if (n == 0) break;
    filled += static_cast<size_t>(n);
    if (!decided) {
      // A file that starts with '[' is one JSON array (elle-cli): read it whole.
      const size_t first = FirstNonSpace(buffer.data(), filled);
      if (first < filled) {
        decided = true;
        if (buffer[first] == '[') {
          ::close(fd);
          Result<std::string> text = ReadWholeFile(path);
          if (!text.ok()) return text.status();
          text->append(simdjson::SIMDJSON_PADDING, '\0');
          return ParseJsonArray(text->data(), text->size() - simdjson::SIMDJSON_PADDING, path);
        }
      }
    }
    Result<size_t> used = ForEachLine(buffer.data(), filled, line_number, consume);
    if (!used.ok()) {
      ::close(fd);
      return used.status();
    }
    std::memmove(buffer.data(), buffer.data() + *used, filled - *used);
    filled -= *used;
  }
  ::close(fd);
  if (filled > 0) {
    if (Status s = consume(std::string_view(buffer.data(), filled), line_number + 1, true);
        !s.ok()) {
      return s;
    }
  }
  return std::move(parser).Finish();
}

Result<History> ParseJsonl(std::string_view text, const std::string& source) {
  std::string padded(text);
  padded.append(simdjson::SIMDJSON_PADDING, '\0');
  const size_t first = FirstNonSpace(padded.data(), text.size());
  if (first < text.size() && text[first] == '[') {
    return ParseJsonArray(padded.data(), text.size(), source);
  }
  LineParser parser(source);
  int64_t line_number = 0;
  auto consume = [&](std::string_view line, int64_t number, bool last) {
    return parser.Parse(line, number, last);
  };
  Result<size_t> used = ForEachLine(padded.data(), text.size(), line_number, consume);
  if (!used.ok()) return used.status();
  if (*used < text.size()) {
    std::string_view tail(padded.data() + *used, text.size() - *used);
    if (Status s = consume(tail, line_number + 1, true); !s.ok()) return s;
  }
  return std::move(parser).Finish();
}

std::string ToJsonLine(const Event& event) {
  std::string line = ToJson(event).dump(-1, ' ', false, Json::error_handler_t::replace);
  line.push_back('\n');
  return line;
}

Result<std::unique_ptr<JsonlWriter>> JsonlWriter::Create(const std::string& path, bool exclusive) {
  int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC), 0644);
  if (fd < 0) return Status::Error(path + ": cannot create: " + std::strerror(errno));
  return std::unique_ptr<JsonlWriter>(new JsonlWriter(fd, path));
}

JsonlWriter::~JsonlWriter() { ::close(fd_); }

Status JsonlWriter::WriteLine(const std::string& line) {
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Error(path_ + ": write failed: " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  return Status();
}

Status JsonlWriter::WriteHeader(const Json& header) {
  Json line = header;
  line["format"] = kFormat;
  return WriteLine(line.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n");
}

Status JsonlWriter::Write(const Event& event) { return WriteLine(ToJsonLine(event)); }

Status JsonlWriter::Sync() {
  if (::fsync(fd_) != 0) return Status::Error(path_ + ": fsync failed: " + std::strerror(errno));
  return Status();
}

}  // namespace jepsen::history
