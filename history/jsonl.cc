#include "history/jsonl.h"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include "history/big_integer.h"
#include "history/import.h"
#include "history/input.h"
#include "history/json_text.h"
#include "history/lines.h"

namespace jepsen::history {
namespace {

constexpr const char* kFormat = "jepsen-history/1";
static_assert(Input::kPadding >= simdjson::SIMDJSON_PADDING);

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

// A line or element is parsed by simdjson; only one that simdjson rejects for
// a number (an integer beyond 64 bits, which JSON allows) is parsed again by
// ParseJson, which keeps such integers exact. The event rules below read
// either through these overloads, so they exist once.
using Element = simdjson::dom::element;

bool GetString(Element v, std::string_view& out) { return !v.get_string().get(out); }
bool GetString(const Json& v, std::string_view& out) {
  if (!v.is_string()) return false;
  out = v.get_ref<const std::string&>();
  return true;
}
// An integer, though perhaps not one that fits 64 signed bits.
bool IsInteger(Element v) { return v.is_int64() || v.is_uint64(); }
bool IsInteger(const Json& v) { return v.is_number_integer() || IsBigInteger(v); }
bool GetInt64(Element v, int64_t& out) { return !v.get_int64().get(out); }
bool GetInt64(const Json& v, int64_t& out) {
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return false;
    }
  } else if (!v.is_number_integer()) {
    return false;
  }
  out = v.get<int64_t>();
  return true;
}
bool IsNull(Element v) { return v.is_null(); }
bool IsNull(const Json& v) { return v.is_null(); }
Json ToJson(Element v) { return ToNlohmann(v); }
Json ToJson(const Json& v) { return v; }
std::string JsonText(Element v) { return simdjson::to_string(v); }
std::string JsonText(const Json& v) { return DumpJson(v); }
// Calls fn(key, value) for each field until it returns false.
template <class Fn>
void ForEachField(simdjson::dom::object object, Fn fn) {
  for (auto field : object) {
    if (!fn(field.key, field.value)) return;
  }
}
template <class Fn>
void ForEachField(const Json& object, Fn fn) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!fn(std::string_view(it.key()), *it)) return;
  }
}

// The fields of the format, told apart by length first: this runs for every
// field of every line.
enum class Field { kType, kProcess, kF, kKey, kValue, kTime, kIndex, kNode, kError, kOther };

inline Field FieldOf(std::string_view key) {
  switch (key.size()) {
    case 1:
      return key[0] == 'f' ? Field::kF : Field::kOther;
    case 3:
      return key == "key" ? Field::kKey : Field::kOther;
    case 4:
      if (key == "type") return Field::kType;
      if (key == "time") return Field::kTime;
      return key == "node" ? Field::kNode : Field::kOther;
    case 5:
      if (key == "value") return Field::kValue;
      if (key == "index") return Field::kIndex;
      return key == "error" ? Field::kError : Field::kOther;
    case 7:
      return key == "process" ? Field::kProcess : Field::kOther;
    default:
      return Field::kOther;
  }
}

// Turns one JSON object of the history format into an event. Shared by the
// JSONL reader and the reader of JSON arrays (elle-cli's output).
class EventParser {
 public:
  EventParser(std::string source, Format format) : source_(std::move(source)), format_(format) {}

  Status Fail(int64_t line, const std::string& message) const {
    return Status::Error(WhereText(source_, format_, line) + ": " + message);
  }

  // `object` is a simdjson::dom::object or an object Json.
  template <class Object>
  Status Parse(const Object& object, int64_t number, ImportedEvent& out) const {
    out.event.line = number;
    Seen seen;
    Status error;  // set by Field when it returns false
    ForEachField(object, [&](std::string_view key, const auto& v) {
      return Read(key, v, number, out, seen, error);
    });
    if (!error.ok()) return error;
    if (!seen.type) return Fail(number, "missing field 'type'");
    if (!seen.process) return Fail(number, "missing field 'process'");
    if (!seen.f) return Fail(number, "missing field 'f'");
    return Status();
  }

 private:
  struct Seen {
    bool type = false, process = false, f = false;
  };

  // Reads one field into the event; false (with `error` set) when it is bad.
  // Per field of every line: no Status is made unless something is wrong, and
  // it is inlined (not inlined, JSONL reading took 5% longer: bench/read_bench).
  template <class Value>
  [[gnu::always_inline]] bool Read(std::string_view key, const Value& v, int64_t number,
                                   ImportedEvent& out, Seen& seen, Status& error) const {
    Event& event = out.event;
    std::string_view text;
    const Field field = FieldOf(key);
    if (field == Field::kType) {
      std::optional<EventType> type;
      if (GetString(v, text)) type = ParseEventType(text);
      if (!type) {
        error = Fail(number, GetString(v, text) ? "field 'type' is " + Quote(text) +
                                                      "; expected invoke, ok, fail or info"
                                                : "field 'type' must be a string");
        return false;
      }
      event.type = *type;
      seen.type = true;
    } else if (field == Field::kProcess) {
      int64_t process;
      if (GetString(v, text) && text == "nemesis") {
        event.process = kNemesis;
      } else if (GetInt64(v, process) && process >= 0) {
        event.process = process;
      } else {
        error = Fail(number, "field 'process' must be an integer >= 0 or \"nemesis\"");
        return false;
      }
      seen.process = true;
    } else if (field == Field::kF) {
      if (!GetString(v, text)) {
        error = Fail(number, "field 'f' must be a string");
        return false;
      }
      event.f = text;
      seen.f = true;
    } else if (field == Field::kKey) {
      if (!GetString(v, text) && !IsInteger(v) && !IsNull(v)) {
        error = Fail(number, "field 'key' must be a string or an integer");
        return false;
      }
      event.key = ToJson(v);
    } else if (field == Field::kValue) {
      event.value = ToJson(v);
    } else if (field == Field::kTime) {
      if (!Int64Field(v, "time", " (nanoseconds)", number, event.time, error)) return false;
      out.has_time = true;
    } else if (field == Field::kIndex) {
      if (!Int64Field(v, "index", "", number, event.index, error)) return false;
      out.has_index = true;
    } else if (field == Field::kNode) {
      event.node = TextOf(v);
    } else if (field == Field::kError) {
      event.error = TextOf(v);
    } else {
      if (event.extra.is_null()) event.extra = Json::object();
      event.extra[std::string(key)] = ToJson(v);
    }
    return true;
  }

  template <class Value>
  bool Int64Field(const Value& v, const char* name, const char* unit, int64_t number,
                  int64_t& target, Status& error) const {
    if (GetInt64(v, target)) return true;
    error = Fail(number, std::string("field '") + name + "' " +
                             (IsInteger(v) ? "is " + JsonText(v) + ", beyond 64 bits"
                                           : std::string("must be an integer")) +
                             unit);
    return false;
  }

  // Strings as they are; anything else (Jepsen errors may be structured) as JSON text.
  template <class Value>
  static std::string TextOf(const Value& v) {
    std::string_view text;
    if (GetString(v, text)) return std::string(text);
    if (IsNull(v)) return "";
    return JsonText(v);
  }

  std::string source_;
  Format format_;
};

// One line or element parsed, by simdjson or, for integers beyond 64 bits,
// by ParseJson. Exactly one of `object` and `exact` is set when ok().
struct Parsed {
  simdjson::error_code error = simdjson::SUCCESS;
  simdjson::dom::element root;
  std::optional<Json> exact;

  bool ok() const { return error == simdjson::SUCCESS || exact.has_value(); }
  bool is_object() const { return exact ? exact->is_object() : root.is_object(); }
};

// REQUIRES: SIMDJSON_PADDING readable bytes follow `text`.
Parsed ParseObject(simdjson::dom::parser& parser, std::string_view text) {
  Parsed p;
  p.error = parser.parse(text.data(), text.size(), false).get(p.root);
  if (p.error == simdjson::NUMBER_ERROR) p.exact = ParseJson(text);
  return p;
}

std::string MalformedJson(const Parsed& p) {
  return std::string("malformed JSON: ") + simdjson::error_message(p.error);
}

// Parses lines into events, feeding the builder. One instance per file.
class LineParser {
 public:
  explicit LineParser(std::string source)
      : events_(source, Format::kJsonl), builder_(std::move(source), Format::kJsonl) {}

  // REQUIRES: SIMDJSON_PADDING readable bytes follow `line`.
  Status Parse(const Line& line) {
    const int64_t number = line.number;
    Parsed p = ParseObject(parser_, line.text);
    if (!p.ok()) {
      if (line.last_without_break) {
        builder_.Warn(number,
                      "final line cut short (no newline, not a whole JSON object); "
                      "ignored");
        return Status();
      }
      return events_.Fail(number, MalformedJson(p));
    }
    if (!p.is_object()) return events_.Fail(number, "not a JSON object");
    if (p.exact) return Add(*p.exact, number);
    return Add(p.root.get_object().value_unsafe(), number);
  }

  void Reserve(size_t events) { builder_.Reserve(events); }
  History Finish() && { return std::move(builder_).Finish(); }

 private:
  template <class Object>
  Status Add(const Object& object, int64_t number) {
    if (!Has(object, "type") && Has(object, "format")) return ParseHeader(ToJson(object), number);
    seen_line_ = true;
    ImportedEvent event;
    if (Status s = events_.Parse(object, number, event); !s.ok()) return s;
    return builder_.Add(std::move(event.event), event.has_time, event.has_index);
  }
  static bool Has(simdjson::dom::object object, const char* key) {
    return object[key].error() != simdjson::NO_SUCH_FIELD;
  }
  static bool Has(const Json& object, const char* key) { return object.contains(key); }
  static Json ToJson(simdjson::dom::object object) {
    Json out = Json::object();
    for (auto field : object) out[std::string(field.key)] = ToNlohmann(field.value);
    return out;
  }
  static Json ToJson(const Json& object) { return object; }

  Status ParseHeader(Json header, int64_t number) {
    if (seen_line_) {
      return events_.Fail(number, "header line (with 'format') must be the first line");
    }
    seen_line_ = true;
    auto format = header.find("format");
    if (format == header.end() || *format != kFormat) {
      return events_.Fail(number, "field 'format' must be \"" + std::string(kFormat) + "\"");
    }
    if (Status s = builder_.SetHeader(std::move(header)); !s.ok()) {
      return events_.Fail(number, s.message());
    }
    return Status();
  }

  EventParser events_;
  HistoryBuilder builder_;
  simdjson::dom::parser parser_;
  bool seen_line_ = false;
};

bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// The offset of the first byte of `text` that is not JSON whitespace, or its size.
size_t FirstNonSpace(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && IsJsonSpace(text[i])) ++i;
  return i;
}

// Whether a unit of text cut short by the end of the file began on its last
// line that holds anything: what a writer killed mid-line leaves.
bool OnOneLine(std::string_view text) {
  const size_t newline = text.find_first_of("\r\n");
  return newline == std::string_view::npos ||
         text.find_first_not_of(" \t\r\n", newline) == std::string_view::npos;
}

// Where a JSON value that starts at data[0] ends (one past it), scanning only
// brackets and strings; npos when `data` ends first. A scalar ends at ',',
// ']', '}' or whitespace.
size_t ValueEnd(std::string_view data) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
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
      if (depth == 0) return i;  // the array's own ']' after a scalar
      if (--depth == 0) return i + 1;
    } else if (depth == 0 && (c == ',' || IsJsonSpace(c))) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Where a JSON array's scan is: what may come next.
enum class Expect { kOpen, kElement, kCommaOrClose, kNothing };

// The array's punctuation at `c`: '[' first, ',' between elements, ']' last.
// True when `c` is the punctuation expected (`expect` moves on past it), false
// when an element begins at `c`; an error for anything else.
inline Result<bool> TakePunctuation(char c, int64_t element, const EventParser& events,
                                    Expect& expect) {
  if (expect == Expect::kOpen) {
    if (c != '[') return events.Fail(1, "malformed JSON: expected '[' to open the array");
    expect = Expect::kElement;
    return true;
  }
  if (expect == Expect::kNothing) {
    return events.Fail(element + 1, "malformed JSON: text after the array's closing ']'");
  }
  if (c == ']') {
    if (expect == Expect::kElement && element > 0) {
      return events.Fail(element, "malformed JSON: ',' before ']'");
    }
    expect = Expect::kNothing;
    return true;
  }
  if (expect == Expect::kCommaOrClose) {
    if (c != ',') return events.Fail(element, "malformed JSON: expected ',' or ']' after it");
    expect = Expect::kElement;
    return true;
  }
  return false;
}

// Parses `text`, the array's `element`th element, into an event.
inline Status ParseElement(simdjson::dom::parser& parser, const EventParser& events,
                           std::string_view text, int64_t element,
                           std::vector<ImportedEvent>& imported) {
  Parsed p = ParseObject(parser, text);
  if (!p.ok()) return events.Fail(element, MalformedJson(p));
  if (!p.is_object()) return events.Fail(element, "not a JSON object");
  ImportedEvent event;
  Status s = p.exact ? events.Parse(*p.exact, element, event)
                     : events.Parse(p.root.get_object().value_unsafe(), element, event);
  if (!s.ok()) return s;
  imported.push_back(std::move(event));
  return Status();
}

// Drops the `scanned` bytes of `in` dealt with and reads more after the rest.
Status ReadOn(Input& in, size_t& scanned) {
  in.Consume(scanned);
  scanned = 0;
  return in.ReadMore();
}

}  // namespace

// Reads a file that is one JSON array of event objects, as elle-cli writes
// them, one element at a time: the array is cut into elements by a scan that
// only counts brackets (no recursion), each element is parsed by simdjson
// and turned into an event by the JSONL reader's rules. Events are numbered
// by their element (elle-cli writes the whole array on one line). Jepsen's
// own data, so :time and :index are judged as AddImported says.
Result<History> ReadJsonArray(Input& in) {
  const std::string& source = in.source();
  EventParser events(source, Format::kJsonArray);
  HistoryBuilder builder(source, Format::kJsonArray);
  simdjson::dom::parser parser;
  std::vector<ImportedEvent> imported;
  int64_t element = 0;  // elements read
  Expect expect = Expect::kOpen;
  size_t i = 0;  // where in in.data() the scan is
  while (true) {
    std::string_view data = in.data();
    i += FirstNonSpace(data.substr(i));
    if (i == data.size()) {  // only space left: drop it, read on
      if (in.at_end()) break;
      if (Status s = ReadOn(in, i); !s.ok()) return s;
      continue;
    }
    Result<bool> punctuation = TakePunctuation(data[i], element, events, expect);
    if (!punctuation.ok()) return punctuation.status();
    if (*punctuation) {
      ++i;
      continue;
    }
    const size_t length = ValueEnd(data.substr(i));
    if (length == 0) return events.Fail(element + 1, "malformed JSON: expected an element");
    if (length == std::string_view::npos) {  // the element runs past what was read
      if (!in.at_end()) {
        if (data.size() - i > kMaxUnitBytes) {
          return events.Fail(element + 1, "element longer than " + MaxUnitText() +
                                              " (the longest a history may hold)");
        }
        if (Status s = ReadOn(in, i); !s.ok()) return s;
        continue;
      }
      if (OnOneLine(data.substr(i))) {
        builder.Warn(element + 1, "final element cut short at the end of the file; ignored");
        expect = Expect::kNothing;
        i = data.size();
        break;
      }
      return events.Fail(element + 1, "malformed JSON: the element is never closed");
    }
    ++element;
    Status parsed = ParseElement(parser, events, data.substr(i, length), element, imported);
    if (!parsed.ok()) return parsed;
    i += length;
    expect = Expect::kCommaOrClose;
  }
  if (expect == Expect::kOpen)
    return events.Fail(1, "malformed JSON: expected '[' to open the array");
  if (expect != Expect::kNothing) {
    builder.WarnFile("the array is cut short at the end of the file (no closing ']')");
  }
  if (Status s = AddImported(std::move(imported), "json", builder); !s.ok()) return s;
  return std::move(builder).Finish();
}

Result<History> ReadJsonl(Input& in) {
  LineParser parser(in.source());
  // Event lines are rarely under 64 bytes; reserving for that many means big
  // files are read without the event vector being moved as it grows (pages
  // reserved but never written are never touched, so cost no memory).
  constexpr size_t kShortLine = 64;
  if (in.size_hint() > 0) parser.Reserve(in.size_hint() / kShortLine);
  LineReader lines(in);
  bool seen_text = false;
  while (true) {
    Result<std::optional<Line>> line = lines.Next();
    if (!line.ok()) return line.status();
    if (!line->has_value()) break;
    const std::string_view text = (*line)->text;
    const size_t first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;  // blank
    if (!seen_text && text[first] == '[') {         // one JSON array (elle-cli)
      lines.GiveBack();
      return ReadJsonArray(in);
    }
    seen_text = true;
    if (Status s = parser.Parse(**line); !s.ok()) return s;
  }
  return std::move(parser).Finish();
}

Result<History> ReadJsonl(const std::string& path) {
  Result<Input> in = Input::Open(path);
  if (!in.ok()) return in.status();
  return ReadJsonl(*in);
}

Result<History> ParseJsonl(std::string_view text, const std::string& source) {
  Input in = Input::FromText(text, source);
  return ReadJsonl(in);
}

std::string ToJsonLine(const Event& event) {
  std::string line = DumpJson(history::ToJson(event));
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
  return WriteLine(DumpJson(line) + "\n");
}

Status JsonlWriter::Write(const Event& event) { return WriteLine(ToJsonLine(event)); }

Status JsonlWriter::Sync() {
  if (::fsync(fd_) != 0) return Status::Error(path_ + ": fsync failed: " + std::strerror(errno));
  return Status();
}

}  // namespace jepsen::history
