#include "history/edn_reader.h"

#include <limits>
#include <optional>
#include <vector>

#include "history/edn.h"
#include "history/import.h"
#include "history/input.h"
#include "history/json_text.h"

namespace jepsen::history {
namespace {

std::optional<int64_t> AsInt64(const Json& v) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  return std::nullopt;
}

// Written as a name: Jepsen uses keywords, hand-made files sometimes strings.
bool IsName(EdnKind kind) {
  return kind == EdnKind::kKeyword || kind == EdnKind::kString || kind == EdnKind::kSymbol;
}

class OpReader {
 public:
  explicit OpReader(const std::string& source) : source_(source) {}

  // Turns one op map into an event. Consumes the form's value.
  Status ToEvent(EdnForm& form, ImportedEvent& out) const {
    if (form.kind != EdnKind::kMap) {
      return Fail(form.line, "expected an op map, found " + std::string(ToString(form.kind)));
    }
    Event& e = out.event;
    e.line = form.line;
    bool has_type = false, has_process = false, has_f = false;
    for (const EdnEntry& entry : form.entries) {
      const std::string& key = entry.key;
      Json& v = form.value[key];
      auto bad = [&](const std::string& expected) {
        return Fail(e.line, "field '" + Printable(key) + "' is " +
                                Printable(CompactEdnText(entry.text)) + "; expected " + expected);
      };
      if (key == "type") {
        std::optional<EventType> type;
        if (IsName(entry.kind)) type = ParseEventType(v.get_ref<const std::string&>());
        if (!type) return bad(":invoke, :ok, :fail or :info");
        e.type = *type;
        has_type = true;
      } else if (key == "process") {
        // The reason the reader reports kinds: only the keyword is the nemesis.
        std::optional<int64_t> process = AsInt64(v);
        if (entry.kind == EdnKind::kKeyword && v == "nemesis") {
          e.process = kNemesis;
        } else if (process && *process >= 0) {
          e.process = *process;
        } else {
          return bad("an integer >= 0 or :nemesis");
        }
        has_process = true;
      } else if (key == "f") {
        if (!IsName(entry.kind)) return bad("a keyword");
        e.f = v.get<std::string>();
        has_f = true;
      } else if (key == "key") {
        if (entry.kind != EdnKind::kNil && !IsName(entry.kind) && entry.kind != EdnKind::kInteger) {
          return bad("a string, keyword or integer");
        }
        e.key = std::move(v);
      } else if (key == "value") {
        e.value = std::move(v);
      } else if (key == "time") {
        std::optional<int64_t> time = AsInt64(v);
        if (!time) return bad("an integer within 64 bits (nanoseconds)");
        e.time = *time;
        out.has_time = true;
      } else if (key == "index") {
        std::optional<int64_t> index = AsInt64(v);
        if (!index) return bad("an integer within 64 bits");
        e.index = *index;
        out.has_index = true;
      } else if (key == "node" || key == "error") {
        // Jepsen's errors are often keywords or vectors ([:timeout ...]): keep them as written.
        std::string text;
        if (entry.kind == EdnKind::kString || (key == "node" && IsName(entry.kind))) {
          text = v.get<std::string>();
        } else if (entry.kind != EdnKind::kNil) {
          text = CompactEdnText(entry.text);
        }
        (key == "node" ? e.node : e.error) = std::move(text);
      } else {
        if (e.extra.is_null()) e.extra = Json::object();
        e.extra[key] = std::move(v);
      }
    }
    if (!has_type) return Fail(e.line, "missing field 'type'");
    if (!has_process) return Fail(e.line, "missing field 'process'");
    if (!has_f) return Fail(e.line, "missing field 'f'");
    return Status();
  }

 private:
  Status Fail(int64_t line, const std::string& what) const {
    return Status::Error(source_ + ":" + std::to_string(line) + ": " + what);
  }

  const std::string& source_;
};

}  // namespace

Result<History> ReadEdn(Input& in) {
  const std::string& source = in.source();
  if (Status s = in.ReadMore(); !s.ok()) return s;
  EdnOptions options;
  options.source = source;
  options.unwrap_top_level = true;
  options.partial = !in.at_end();
  EdnReader reader(in.data(), options);
  OpReader ops(source);
  HistoryBuilder builder(source, Format::kEdn);
  // Collected first: whether :time and :index can be trusted depends on all of them.
  std::vector<ImportedEvent> events;
  int64_t data_line = 1;  // the line in.data() begins on
  while (true) {
    Result<std::optional<EdnForm>> form = reader.Next();
    if (!form.ok()) {
      if (reader.cut_short() && reader.form_line() >= LastNonBlankLine(in.data(), data_line)) {
        builder.Warn(reader.form_line(), "final form cut short at the end of the file; ignored");
        break;
      }
      return form.status();
    }
    if (!form->has_value()) {
      if (!reader.needs_more()) break;
      // Keep the unfinished form (and the space before it), read on.
      in.Consume(reader.offset());
      if (in.data().size() > kMaxUnitBytes) {
        return Status::Error(source + ":" + std::to_string(reader.line()) + ": more than " +
                             MaxUnitText() +
                             " without a whole EDN form (the longest a history "
                             "may hold)");
      }
      if (Status s = in.ReadMore(); !s.ok()) return s;
      data_line = reader.line();
      reader.Continue(in.data(), !in.at_end());
      continue;
    }
    ImportedEvent event;
    if (Status s = ops.ToEvent(**form, event); !s.ok()) return s;
    events.push_back(std::move(event));
  }
  if (Status s = AddImported(std::move(events), "edn", builder); !s.ok()) return s;
  return std::move(builder).Finish();
}

Result<History> ParseEdn(std::string_view text, const std::string& source) {
  Input in = Input::FromText(text, source);
  return ReadEdn(in);
}

Result<History> ReadEdn(const std::string& path) {
  Result<Input> in = Input::Open(path);
  if (!in.ok()) return in.status();
  return ReadEdn(*in);
}

}  // namespace jepsen::history
