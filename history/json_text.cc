#include "history/json_text.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include "history/big_integer.h"

namespace jepsen::history {
namespace {

std::string Dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Json::dump's layout, big integers as digits.
void Write(const Json& value, int indent, int depth, std::string& out) {
  const bool object = value.is_object();
  if (IsBigInteger(value)) {
    out += BigIntegerDigits(value);
    return;
  }
  if ((!object && !value.is_array()) || value.empty()) {
    out += Dump(value);
    return;
  }
  out.push_back(object ? '{' : '[');
  const std::string inner =
      indent < 0 ? "" : "\n" + std::string(static_cast<size_t>(indent * (depth + 1)), ' ');
  bool first = true;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!first) out.push_back(',');
    first = false;
    out += inner;
    if (object) {
      out += Dump(Json(it.key()));
      out += indent < 0 ? ":" : ": ";
    }
    Write(*it, indent, depth + 1, out);
  }
  if (indent >= 0) out += "\n" + std::string(static_cast<size_t>(indent * depth), ' ');
  out.push_back(object ? '}' : ']');
}

// Builds a Json from nlohmann's SAX events, as Json::parse would, except for
// integers beyond 64 bits (nlohmann hands them over as doubles, with their text).
class ExactSax {
 public:
  explicit ExactSax(size_t max_depth) : max_depth_(max_depth) {}

  bool null() { return Put(nullptr); }
  bool boolean(bool b) { return Put(b); }
  bool number_integer(Json::number_integer_t i) { return Put(i); }
  bool number_unsigned(Json::number_unsigned_t u) { return Put(u); }
  bool number_float(Json::number_float_t d, const std::string& text) {
    if (std::optional<Json> integer = IntegerFromDigits(text)) return Put(std::move(*integer));
    return std::isfinite(d) && Put(d);
  }
  bool string(std::string& s) { return Put(std::move(s)); }
  bool binary(Json::binary_t&) { return false; }
  bool start_object(size_t) { return Open(Json::object()); }
  bool key(std::string& k) {
    key_ = std::move(k);
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(size_t) { return Open(Json::array()); }
  bool end_array() { return Close(); }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

  Json& root() { return root_; }

 private:
  Json* Insert(Json value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& top = *open_.back();
    if (top.is_array()) {
      top.push_back(std::move(value));
      return &top.back();
    }
    Json& slot = top[key_];
    slot = std::move(value);
    return &slot;
  }
  bool Put(Json value) {
    Insert(std::move(value));
    return true;
  }
  bool Open(Json value) {
    if (open_.size() >= max_depth_) return false;
    open_.push_back(Insert(std::move(value)));
    return true;
  }
  bool Close() {
    open_.pop_back();
    return true;
  }

  size_t max_depth_;
  Json root_;
  std::vector<Json*> open_;  // containers being filled; each is inside the one before
  std::string key_;
};

}  // namespace

std::string DumpJson(const Json& value, int indent) {
  if (!ContainsBigInteger(value)) {
    return value.dump(indent, ' ', false, Json::error_handler_t::replace);
  }
  std::string out;
  Write(value, indent, 0, out);
  return out;
}

std::optional<Json> ParseJson(std::string_view text, size_t max_depth) {
  ExactSax sax(max_depth);
  if (!Json::sax_parse(text.begin(), text.end(), &sax)) return std::nullopt;
  return std::move(sax.root());
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
