#include "history/history.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <new>
#include <stdexcept>

#include "history/json_text.h"

namespace jepsen::history {
namespace {

// Asks Linux to back a big, freshly reserved buffer with 2 MiB pages: filling
// a history of a few hundred MB page by page costs a fault every 4 KiB, which
// measured (bench/read_bench) was most of the reading time. Only pages that
// are written are backed, so reserving more than is used costs at most one
// huge page.
void AdviseHugePages(const void* data, size_t bytes) {
#ifdef MADV_HUGEPAGE
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace

std::string PlaceText(Format format, int64_t line) {
  return (format == Format::kJsonArray ? "element " : "line ") + std::to_string(line);
}

std::string WhereText(const std::string& source, Format format, int64_t line) {
  if (format == Format::kJsonArray) return source + ": " + PlaceText(format, line);
  return source + ":" + std::to_string(line);
}

const Json& History::value(const Op& op) const {
  const Event* done = completion(op);
  if (op.outcome == EventType::kOk && done != nullptr) return done->value;
  return invocation(op).value;
}

int64_t History::completion_time(const Op& op) const {
  if (op.outcome == EventType::kInfo) return std::numeric_limits<int64_t>::max();
  return events[op.completion].time;
}

std::string History::workload() const {
  if (header.is_object()) {
    auto it = header.find("workload");
    if (it != header.end() && it->is_string()) return it->get<std::string>();
  }
  return "";
}

const Json& History::option(const std::string& name) const {
  static const Json kNull;
  if (!header.is_object()) return kNull;
  auto options = header.find("options");
  if (options == header.end() || !options->is_object()) return kNull;
  auto it = options->find(name);
  return it == options->end() ? kNull : *it;
}

std::string History::where(const Event& event) const {
  return WhereText(source, format, event.line);
}

std::string History::place(const Event& event) const { return PlaceText(format, event.line); }

HistoryBuilder::HistoryBuilder(std::string source, Format format) {
  history_.source = std::move(source);
  history_.format = format;
}

Status HistoryBuilder::SetHeader(Json header) {
  if (header.is_object()) {
    auto faults = header.find(kFaultKindsKey);
    if (faults != header.end()) {
      Result<std::vector<FaultKind>> kinds = ParseFaultKinds(*faults);
      if (!kinds.ok()) return Status::Error("header field " + kinds.message());
      history_.fault_kinds = std::move(kinds).value();
    }
  }
  history_.header = std::move(header);
  return Status();
}

void HistoryBuilder::Reserve(size_t events) {
  try {
    history_.events.reserve(events);
    history_.ops.reserve(events / 2);  // an invoke and a completion per op
    AdviseHugePages(history_.events.data(), history_.events.capacity() * sizeof(Event));
  } catch (const std::bad_alloc&) {
  } catch (const std::length_error&) {
  }
}

Status HistoryBuilder::Fail(int64_t line, const std::string& message) const {
  return Status::Error(WhereText(history_.source, history_.format, line) + ": " + message);
}

void HistoryBuilder::Warn(int64_t line, const std::string& message) {
  history_.warnings.push_back(WhereText(history_.source, history_.format, line) + ": " + message);
}

void HistoryBuilder::WarnFile(const std::string& message) {
  history_.warnings.push_back(history_.source + ": " + message);
}

Status HistoryBuilder::Add(Event event, bool has_time, bool has_index) {
  const int64_t line = event.line;
  // Time and index are all given or all absent: mixing a clock with line numbers means nothing.
  int given = has_time ? 1 : 0;
  if (times_given_ == -1) times_given_ = given;
  if (times_given_ != given) {
    return Fail(line, has_time ? "field 'time' given here but absent on earlier events"
                               : "field 'time' missing (earlier events have it)");
  }
  // Without a clock, file order is real-time order: events that share a
  // line must not tie (ties are concurrent).
  if (!has_time) event.time = std::max(line, last_time_ + 1);
  if (event.time < last_time_) {
    return Fail(line, "field 'time' goes backwards (" + std::to_string(event.time) + " after " +
                          std::to_string(last_time_) + ")");
  }
  last_time_ = event.time;

  given = has_index ? 1 : 0;
  if (indices_given_ == -1) indices_given_ = given;
  if (indices_given_ != given) {
    return Fail(line, has_index ? "field 'index' given here but absent on earlier events"
                                : "field 'index' missing (earlier events have it)");
  }
  if (!has_index) event.index = static_cast<int64_t>(history_.events.size());
  if (!history_.events.empty() && event.index <= last_index_) {
    return Fail(line, "field 'index' not strictly increasing (" + std::to_string(event.index) +
                          " after " + std::to_string(last_index_) + ")");
  }
  last_index_ = event.index;

  if (history_.events.size() >= Op::kNone - 1) return Fail(line, "too many events");
  const auto position = static_cast<uint32_t>(history_.events.size());

  if (event.is_nemesis()) {
    // Jepsen's nemesis logs an invoke and an info per action; both are actions, never paired.
    event.type = EventType::kInfo;
  } else {
    auto pending = pending_.find(event.process);
    if (event.type == EventType::kInvoke) {
      if (pending != pending_.end()) {
        const Event& open = history_.events[history_.ops[pending->second].invoke];
        return Fail(line, "process " + std::to_string(event.process) + " invokes while its " +
                              Quote(open.f) + " invoked at " +
                              PlaceText(history_.format, open.line) + " is still pending");
      }
      if (!warned_reuse_ && crashed_.count(event.process) != 0) {
        // Legal to read (the info op simply stays concurrent with everything after it),
        // but a runner should have given the thread a fresh process number.
        Warn(line, "process " + std::to_string(event.process) +
                       " invokes again after an 'info' completion; reported once");
        warned_reuse_ = true;
      }
      pending_.emplace(event.process, static_cast<uint32_t>(history_.ops.size()));
      history_.ops.push_back(Op{position, Op::kNone, EventType::kInfo});
    } else {
      if (pending == pending_.end()) {
        return Fail(line, "'" + std::string(ToString(event.type)) + "' completion for process " +
                              std::to_string(event.process) + " which has no pending invoke");
      }
      Op& op = history_.ops[pending->second];
      const Event& invoke = history_.events[op.invoke];
      if (invoke.f != event.f) {
        return Fail(line, "completion field 'f' is " + Quote(event.f) + " but the invoke at " +
                              PlaceText(history_.format, invoke.line) + " has " + Quote(invoke.f));
      }
      if (!invoke.key.is_null() && invoke.key != event.key) {
        return Fail(line, "completion field 'key' is " + DumpJson(event.key) +
                              " but the invoke at " + PlaceText(history_.format, invoke.line) +
                              " has " + DumpJson(invoke.key));
      }
      op.completion = position;
      op.outcome = event.type;
      if (event.type == EventType::kInfo) crashed_.insert(event.process);
      pending_.erase(pending);
    }
  }
  history_.events.push_back(std::move(event));
  return Status();
}

History HistoryBuilder::Finish() && {
  history_.has_time = times_given_ == 1;
  if (history_.ops.empty()) {
    WarnFile("no client operations (" + std::to_string(history_.events.size()) +
             " events): there is nothing to check");
  }
  return std::move(history_);
}

}  // namespace jepsen::history
