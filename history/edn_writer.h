// Exporting histories as Jepsen EDN, so Knossos, Elle and Jepsen's own
// checkers can judge what we recorded. ReadEdn reads the output back into
// the same events.
#ifndef JEPSEN_HISTORY_EDN_WRITER_H_
#define JEPSEN_HISTORY_EDN_WRITER_H_

#include <string>
#include <string_view>

#include "history/history.h"

namespace jepsen::history {

// A JSON value as EDN: null -> nil, arrays -> vectors, objects -> maps whose
// keys are keywords when IsEdnKeywordName(key), else strings; strings escaped.
// Non-finite doubles as ##NaN, ##Inf, ##-Inf; big integers with their digits
// and N (123456789012345678901N), as Clojure writes its bigints.
std::string ToEdn(const Json& value);

// Whether `name` can be written as the keyword `:name` and read back as `name`.
bool IsEdnKeywordName(std::string_view name);

// One event as a Jepsen op map, with the trailing newline (as ToJsonLine):
//   {:type :invoke, :f :read, :value nil, :process 0, :time 123, :index 0}
// then :key, :node, :error and the extra keys when present. The nemesis
// process is written :nemesis; type and f as keywords (f as a string when it
// is not a valid keyword name).
std::string ToEdnLine(const Event& event);

// Writes the history as one op map per line (creating or truncating `path`).
// A header, when present, goes first as a `;` comment, which EDN readers skip.
Status WriteEdn(const History& history, const std::string& path);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_EDN_WRITER_H_
