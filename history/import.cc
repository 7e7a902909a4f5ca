#include "history/import.h"

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

int64_t LastNonBlankLine(std::string_view text, int64_t first_line) {
  int64_t line = first_line, last = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || (c == '\n' && (i == 0 || text[i - 1] != '\r'))) {
      ++line;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != ',') {
      last = line;
    }
  }
  return last;
}

}  // namespace jepsen::history
