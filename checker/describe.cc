#include "checker/describe.h"

#include <cstdio>

#include "history/json_text.h"

namespace jepsen::checker {
namespace {

EventRef EventRefOf(const history::Event& e) { return {e.index, e.line, e.time}; }

}  // namespace

std::optional<int64_t> ThreadOf(const history::History& history, int64_t process) {
  const history::Json& concurrency = history.option("concurrency");
  if (process < 0 || !concurrency.is_number_integer()) return std::nullopt;
  if (concurrency.is_number_unsigned()) {
    const uint64_t n = concurrency.get<uint64_t>();
    if (n == 0) return std::nullopt;
    return static_cast<int64_t>(static_cast<uint64_t>(process) % n);
  }
  const int64_t n = concurrency.get<int64_t>();
  if (n < 1) return std::nullopt;
  return process % n;
}

std::string ActorText(const history::History& history, int64_t process, const std::string& aside) {
  const std::string p = "process " + std::to_string(process);
  const std::string more = aside.empty() ? "" : ", " + aside;
  if (std::optional<int64_t> thread = ThreadOf(history, process)) {
    return "client " + std::to_string(*thread) + " (" + p + more + ")";
  }
  return aside.empty() ? p : p + " (" + aside + ")";
}

std::string TimeText(const history::History& history, const history::Event& event) {
  if (!history.has_time) return history.place(event);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.3f s", static_cast<double>(event.time) / 1e9);
  return buffer;
}

std::string OpText(const history::History& history, const history::Op& op) {
  const history::Event& invoke = history.invocation(op);
  std::string out = ActorText(history, invoke.process) + " " + history::Printable(invoke.f);
  if (!invoke.key.is_null()) out += " [key " + history::DumpJson(invoke.key) + "]";
  const history::Event* done = history.completion(op);
  if (!invoke.value.is_null()) out += " " + history::DumpJson(invoke.value);
  // What an ok op observed: its completion's value when it adds something,
  // and null too for reads (they saw nothing written).
  const bool observes = invoke.f == "read" || invoke.f == "get" || invoke.f == "dequeue";
  if (op.outcome == history::EventType::kOk && done != nullptr &&
      ((done->value != invoke.value && !done->value.is_null()) || observes)) {
    out += " -> " + history::DumpJson(done->value);
  }
  out += " " + std::string(history::ToString(op.outcome));
  if (done == nullptr) {
    out += " (invoked " + TimeText(history, invoke) + ", never completed";
  } else {
    out += " (" + TimeText(history, invoke) + " .. " + TimeText(history, *done);
  }
  if (history.has_time) out += ", " + history.place(invoke);
  return out + ")";
}

OpRef OpRefOf(const history::History& history, uint32_t i) {
  const history::Op& op = history.ops[i];
  const history::Event& invoke = history.invocation(op);
  OpRef out;
  out.op = i;
  out.process = invoke.process;
  out.thread = ThreadOf(history, invoke.process);
  out.f = invoke.f;
  out.key = invoke.key;
  out.value = history.value(op);
  out.type = op.outcome;
  out.invoke = EventRefOf(invoke);
  if (const history::Event* done = history.completion(op)) out.complete = EventRefOf(*done);
  return out;
}

}  // namespace jepsen::checker
