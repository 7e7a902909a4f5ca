#include "history/independent.h"

#include <vector>

#include "history/json_text.h"

namespace jepsen::history {
namespace {

bool ToSplit(const Event& e) { return !e.is_nemesis() && e.key.is_null(); }

// The key an event has or will have after splitting. REQUIRES: validated.
const Json& KeyOf(const Event& e) { return ToSplit(e) ? e.value[0] : e.key; }

}  // namespace

Status SplitIndependentKeys(History& history) {
  // Check everything first, so that an error leaves the history as it was.
  for (const Event& e : history.events) {
    if (!ToSplit(e)) continue;
    if (!e.value.is_array() || e.value.size() != 2) {
      return Status::Error(history.where(e) + ": field 'value' is " + DumpJson(e.value) +
                           "; expected a [key value] pair (independent keys)");
    }
    const Json& k = e.value[0];
    if (!k.is_string() && !k.is_number_integer()) {
      return Status::Error(history.where(e) + ": field 'value' has key " + DumpJson(k) +
                           "; expected a string or an integer");
    }
  }
  for (const Op& op : history.ops) {
    const Event* done = history.completion(op);
    if (done == nullptr) continue;
    const Event& invoke = history.invocation(op);
    if (KeyOf(*done) != KeyOf(invoke)) {
      return Status::Error(history.where(*done) + ": field 'value' has key " +
                           DumpJson(KeyOf(*done)) + " but the invoke at " + history.place(invoke) +
                           " has key " + DumpJson(KeyOf(invoke)));
    }
  }
  for (Event& e : history.events) {
    if (!ToSplit(e)) continue;
    Json pair = std::move(e.value);
    e.key = std::move(pair[0]);
    e.value = std::move(pair[1]);
  }
  return Status();
}

}  // namespace jepsen::history
