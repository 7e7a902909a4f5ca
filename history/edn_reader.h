// Importing Jepsen's history.edn (and Knossos', Elle's and Porcupine's test
// histories, which share its shape) as a History.
//
// Accepted layouts (lines end at LF, CR or CRLF): one op map per line; or all ops in one top-level
// vector
// `[{...} {...}]` or list `({...} ...)`; maps may span lines; `;` comments
// anywhere. Record tags (#jepsen.history.Op{...}) are read as plain maps.
//
// Per op map:
//   :type     :invoke/:ok/:fail/:info (keyword or string); anything else is an error
//   :process  an integer >= 0, or the keyword :nemesis (the string "nemesis" is an error)
//   :f        keyword, symbol or string -> Event::f
//   :key      string, keyword or integer -> Event::key
//   :value    any form -> Event::value (keywords become strings, sets and lists arrays)
//   :time     integer ns; used only when every op has it and it never decreases,
//             else ops go by position and each :time is kept in extra["edn_time"]
//             (Knossos' files are not in time order), with one warning
//   :index    integer; used only when every op has it and it strictly increases,
//             else likewise kept in extra["edn_index"]
//   :node     -> Event::node (non-strings as compact EDN text)
//   :error    -> Event::error: strings as they are, anything else as its compact
//             EDN text (`:error :not-held` -> ":not-held")
//   any other key -> Event::extra under its keyword name
// Event::line is the line where the op map begins. Pairing is HistoryBuilder's.
//
// Errors name "file:line: what (field)". The one malformation forgiven is a
// final form cut short at the end of the file -- it begins on the last line
// and is never closed, as a writer killed mid-op leaves it -- which is
// ignored with a warning, like the format's cut-short final line.
#ifndef JEPSEN_HISTORY_EDN_READER_H_
#define JEPSEN_HISTORY_EDN_READER_H_

#include <string>
#include <string_view>

#include "history/history.h"

namespace jepsen::history {

class Input;

// Streams the file a form at a time: memory holds one form (and a chunk)
// plus the events read. A form longer than kMaxUnitBytes (input.h) is an
// error naming its line.
Result<History> ReadEdn(const std::string& path);
// The same for text already in memory; `source` names it in messages.
Result<History> ParseEdn(std::string_view text, const std::string& source);
// The same from an input (see input.h).
Result<History> ReadEdn(Input& in);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_EDN_READER_H_
