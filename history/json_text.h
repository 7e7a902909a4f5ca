// Values and names from a history as text for messages and output files.
// Text from a file may hold anything, including terminal escape sequences:
// these helpers never let a control character through unescaped.
#ifndef JEPSEN_HISTORY_JSON_TEXT_H_
#define JEPSEN_HISTORY_JSON_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "history/event.h"

namespace jepsen::history {

// `value` as JSON text, like Json::dump(indent), except that big integers
// (big_integer.h) are written as their digits, and that it never throws:
// bytes that are not UTF-8 become U+FFFD.
std::string DumpJson(const Json& value, int indent = -1);

// Parses one JSON text like Json::parse, but keeps integers beyond 64 bits
// exact as big integers (big_integer.h). Floats out of a double's range and
// nesting deeper than `max_depth` are errors. nullopt on any error.
std::optional<Json> ParseJson(std::string_view text, size_t max_depth = 1024);

// `text` as a JSON string literal, quotes included: "read", "a\u001b[31m".
// How messages name an op's `f`, a field's text or a token from a file.
std::string Quote(std::string_view text);

// `text` with every control character but the line break escaped as in JSON
// (\u001b, \t, \r): for printing text built from a file (messages,
// explanations) on a terminal.
std::string Printable(std::string_view text);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_JSON_TEXT_H_
