#include "history/json_text.h"

#include <cstdio>

namespace jepsen::history {

std::string DumpJson(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string Quote(std::string_view text) { return Printable(DumpJson(Json(std::string(text)))); }

std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    // C1 controls (U+0080..U+009F, UTF-8 C2 80..C2 9F) include CSI too.
    if (byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xA0 &&
        static_cast<unsigned char>(text[i + 1]) >= 0x80) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned char>(text[++i]));
      out += escape;
      continue;
    }
    if ((byte >= 0x20 && byte != 0x7f) || c == '\n') {
      out.push_back(c);
      continue;
    }
    switch (c) {
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default: {
        char escape[8];
        std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(byte));
        out += escape;
      }
    }
  }
  return out;
}

}  // namespace jepsen::history
