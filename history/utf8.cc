#include "history/utf8.h"

#include <simdjson.h>

namespace jepsen::history {
namespace {

// `text` without a multi-byte character that its end cuts off, if any.
std::string_view WithoutCutCharacter(std::string_view text) {
  for (size_t back = 1; back <= 3 && back <= text.size(); ++back) {
    const auto byte = static_cast<unsigned char>(text[text.size() - back]);
    if ((byte & 0xC0) == 0x80) continue;          // a continuation byte: look further back
    if (byte < 0xC2 || byte > 0xF4) return text;  // not the start of a longer character
    const size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
    return back < length ? text.substr(0, text.size() - back) : text;
  }
  return text;
}

}  // namespace

std::optional<int64_t> FirstLineNotUtf8(std::string_view text, int64_t first_line,
                                        bool text_may_be_cut) {
  if (text_may_be_cut) text = WithoutCutCharacter(text);
  if (simdjson::validate_utf8(text.data(), text.size())) return std::nullopt;
  // Rare: find the line, one at a time (lines end at LF, CR or CRLF).
  int64_t line = first_line;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    if (!simdjson::validate_utf8(text.data() + start, end - start)) return line;
    start = end + (text.substr(end, 2) == "\r\n" ? 2 : 1);
    ++line;
  }
  return first_line;  // unreachable: some line held the bad byte
}

}  // namespace jepsen::history
