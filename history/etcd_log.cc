#include "history/etcd_log.h"

#include <charconv>

#include "history/edn.h"
#include "history/input.h"
#include "history/json_text.h"
#include "history/lines.h"
#include "history/utf8.h"

namespace jepsen::history {
namespace {

constexpr std::string_view kMarker = "jepsen.util - ";

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// The next tab- or space-separated field of `rest`, which then starts after it.
std::string_view NextField(std::string_view& rest) {
  size_t start = 0;
  while (start < rest.size() && IsBlank(rest[start])) ++start;
  size_t end = start;
  while (end < rest.size() && !IsBlank(rest[end])) ++end;
  std::string_view field = rest.substr(start, end - start);
  rest.remove_prefix(end);
  return field;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

class OpLineParser {
 public:
  explicit OpLineParser(const std::string& source) : source_(source) {}

  // REQUIRES: `line` contains kMarker.
  Status Parse(std::string_view line, int64_t number, Event& e) const {
    if (FirstLineNotUtf8(line, number, /*text_may_be_cut=*/false))
      return Fail(number, "not valid UTF-8");
    std::string_view rest = line.substr(line.find(kMarker) + kMarker.size());
    e.line = number;

    std::string_view process = NextField(rest);
    int64_t n = -1;
    auto [end, error] = std::from_chars(process.data(), process.data() + process.size(), n);
    if (process == ":nemesis") {
      e.process = kNemesis;
    } else if (error == std::errc() && end == process.data() + process.size() && n >= 0) {
      e.process = n;
    } else {
      return Bad(number, "process", process, "an integer >= 0 or :nemesis");
    }

    std::string_view type = NextField(rest);
    std::optional<EventType> parsed;
    if (type.size() > 1 && type[0] == ':') parsed = ParseEventType(type.substr(1));
    if (!parsed) return Bad(number, "type", type, ":invoke, :ok, :fail or :info");
    e.type = *parsed;

    std::string_view f = NextField(rest);
    if (f.size() < 2 || f[0] != ':') return Bad(number, "f", f, "a keyword such as :read");
    e.f = f.substr(1);

    // The value is EDN and may hold blanks ([1 2]): read one form, not one field.
    EdnOptions options;
    options.source = source_;
    options.first_line = number;
    EdnReader reader(rest, options);
    Result<std::optional<EdnForm>> value = reader.Next();
    if (!value.ok()) {
      // The reader's message is "source:number: what"; keep the what, name the field.
      std::string what = value.message();
      what.erase(0, std::min(what.size(), Prefix(number).size()));
      return Fail(number, "field 'value' is not valid EDN: " + what);
    }
    if (!value->has_value()) return Fail(number, "missing field 'value'");
    e.value = std::move((*value)->value);
    e.error = Trim(rest.substr(reader.offset()));
    return Status();
  }

  Status Fail(int64_t number, const std::string& what) const {
    return Status::Error(Prefix(number) + what);
  }

 private:
  std::string Prefix(int64_t number) const { return source_ + ":" + std::to_string(number) + ": "; }

  Status Bad(int64_t number, const char* field, std::string_view got, const char* expected) const {
    if (got.empty()) return Fail(number, std::string("missing field '") + field + "'");
    return Fail(number,
                std::string("field '") + field + "' is " + Quote(got) + "; expected " + expected);
  }

  const std::string& source_;
};

}  // namespace

Result<History> ReadEtcdLog(Input& in) {
  const std::string& source = in.source();
  HistoryBuilder builder(source, Format::kEtcdLog);
  OpLineParser parser(source);
  LineReader lines(in);
  while (true) {
    Result<std::optional<Line>> line = lines.Next();
    if (!line.ok()) return line.status();
    if (!line->has_value()) break;
    const Line& l = **line;
    if (l.text.find(kMarker) == std::string_view::npos) continue;  // other log noise
    Event event;
    if (Status s = parser.Parse(l.text, l.number, event); !s.ok()) {
      if (l.last_without_break) {
        builder.Warn(l.number, "final line cut short (no newline, cannot be read); ignored");
        break;
      }
      return s;
    }
    if (Status s = builder.Add(std::move(event), false, false); !s.ok()) return s;
  }
  return std::move(builder).Finish();
}

Result<History> ParseEtcdLog(std::string_view text, const std::string& source) {
  Input in = Input::FromText(text, source);
  return ReadEtcdLog(in);
}

Result<History> ReadEtcdLog(const std::string& path) {
  Result<Input> in = Input::Open(path);
  if (!in.ok()) return in.status();
  return ReadEtcdLog(*in);
}

}  // namespace jepsen::history
