#include "checker/report/script_json.h"

#include "history/json_text.h"

namespace jepsen::checker::report {

std::string ScriptSafeJson(const history::Json& value) {
  const std::string json = history::DumpJson(value);  // big integers as their digits
  std::string out;
  out.reserve(json.size() + json.size() / 64);
  // These bytes only occur inside JSON strings (never in its structure), so
  // replacing them by escapes keeps the value and the document well formed.
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";  // line breaks to old JS parsers
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace jepsen::checker::report
