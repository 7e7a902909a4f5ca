// Helpers shared by the readers of other tools' files (Jepsen EDN, elle-cli
// JSON arrays, Porcupine logs). Private to the history module.
#ifndef JEPSEN_HISTORY_IMPORT_H_
#define JEPSEN_HISTORY_IMPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "history/history.h"

namespace jepsen::history {

// An event as read, before the file as a whole says whether its time and
// index can be trusted.
struct ImportedEvent {
  Event event;
  bool has_time = false;
  bool has_index = false;
};

// Feeds events read from one of Jepsen's files to `builder`, in file order.
// Jepsen's files do not keep our format's ordering rules: Knossos' test
// histories carry :time out of file order (merged from several clients), and
// some ops have no :time or :index at all. So :time is used only when every
// event has one and it never decreases; otherwise events are ordered by their
// position, each :time given is kept in extra["<origin>_time"], and one
// warning says so. :index likewise (it must strictly increase), kept in
// extra["<origin>_index"].
Status AddImported(std::vector<ImportedEvent> events, std::string_view origin,
                   HistoryBuilder& builder);

// The number of the last line of `text` (whose first line is `first_line`;
// lines end at LF, CR or CRLF) that holds more than whitespace, or 0.
int64_t LastNonBlankLine(std::string_view text, int64_t first_line = 1);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_IMPORT_H_
