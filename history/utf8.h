// Histories are UTF-8 text. JSONL is validated by simdjson as it parses; EDN
// and etcd logs are checked here, so that a damaged byte is an error naming
// its line rather than a string that cannot be written out again.
#ifndef JEPSEN_HISTORY_UTF8_H_
#define JEPSEN_HISTORY_UTF8_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace jepsen::history {

// The line (counting from `first_line`; lines end at LF, CR or CRLF) of the
// first byte that is not valid UTF-8, or nullopt when all of `text` is. With `text_may_be_cut`, a
// multi-byte character cut off by the end of the text does not count: a writer
// killed mid-line leaves that, and readers report such a cut-short line
// themselves.
std::optional<int64_t> FirstLineNotUtf8(std::string_view text, int64_t first_line,
                                        bool text_may_be_cut);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_UTF8_H_
