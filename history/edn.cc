#include "history/edn.h"

#include <charconv>
#include <cstring>
#include <limits>

#include "history/big_integer.h"
#include "history/json_text.h"
#include "history/utf8.h"

namespace jepsen::history {

enum class EdnReader::FrameType : uint8_t { kVector, kList, kSet, kMap, kTag, kDiscard };

// Something still open: a collection being filled, or a prefix (#tag, #_)
// waiting for the form it applies to.
struct EdnReader::Frame {
  FrameType type;
  int64_t line;                   // where it opened
  size_t start;                   // offset where it opened
  Json value;                     // a collection: what has been read so far
  std::string name;               // a tag: its name; a map: the key waiting for its value
  bool has_key = false;           // a map: `name` holds a key
  bool top_level = false;         // nothing but prefixes below: it is (part of) a top-level form
  std::vector<EdnEntry> entries;  // a top-level map's entries

  bool is_prefix() const { return type == FrameType::kTag || type == FrameType::kDiscard; }

  // How it opened, for messages: '[', '#{', '#inst', ...
  std::string opener() const {
    switch (type) {
      case FrameType::kVector:
        return "'['";
      case FrameType::kList:
        return "'('";
      case FrameType::kSet:
        return "'#{'";
      case FrameType::kMap:
        return "'{'";
      case FrameType::kTag:
        return "'#" + Printable(name) + "'";
      case FrameType::kDiscard:
        return "'#_'";
    }
    return "?";
  }

  // REQUIRES: !is_prefix()
  char closer() const {
    switch (type) {
      case FrameType::kVector:
        return ']';
      case FrameType::kList:
        return ')';
      default:
        return '}';
    }
  }

  // REQUIRES: !is_prefix()
  EdnKind kind() const {
    switch (type) {
      case FrameType::kVector:
        return EdnKind::kVector;
      case FrameType::kList:
        return EdnKind::kList;
      case FrameType::kSet:
        return EdnKind::kSet;
      default:
        return EdnKind::kMap;
    }
  }
};

// A finished form on its way to whatever contains it.
struct EdnReader::Value {
  Json json;
  EdnKind kind = EdnKind::kNil;
  size_t start = 0;  // its source text
  size_t end = 0;
  std::vector<EdnEntry> entries;
};

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == ',' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Whether `c` is one of `set` (strchr alone would also match the NUL byte).
bool IsOneOf(char c, const char* set) { return c != '\0' && std::strchr(set, c) != nullptr; }

bool IsDelimiter(char c) { return IsSpace(c) || IsOneOf(c, "()[]{}\";"); }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsSymbolChar(char c) {
  return IsAlpha(c) || IsDigit(c) || IsOneOf(c, ".*+!-_?$%&=<>/:#'") ||
         static_cast<unsigned char>(c) >= 0x80;  // Clojure allows any non-ASCII letter
}

// A symbol's or keyword's name: symbol characters, not starting like a
// number, a keyword or a dispatch, with '/' only between namespace and name.
bool IsValidName(std::string_view name) {
  if (name.empty() || name[0] == ':' || name[0] == '#' || name[0] == '\'' || IsDigit(name[0])) {
    return false;
  }
  for (char c : name) {
    if (!IsSymbolChar(c)) return false;
  }
  return name == "/" || (name.front() != '/' && name.back() != '/');
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool ParseHex4(std::string_view text, uint32_t& out) {
  if (text.size() < 4) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + 4, out, 16);
  return error == std::errc() && end == text.data() + 4;
}

bool IsSurrogate(uint32_t cp) { return cp >= 0xD800 && cp <= 0xDFFF; }

size_t Utf8Length(char lead) {
  auto c = static_cast<unsigned char>(lead);
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

double DigitsToDouble(std::string_view digits) {
  double d = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), d);
  return d;
}

// Numbers: 12, -12, 12N, 1.5, 1e3, 1.5M, 1/2. Returns false when `t` is not one.
bool ParseNumber(std::string_view t, Json& out, EdnKind& kind, std::string& why) {
  size_t i = 0;
  bool negative = false;
  if (t[0] == '+' || t[0] == '-') {
    negative = t[0] == '-';
    ++i;
  }
  const size_t int_start = i;
  while (i < t.size() && IsDigit(t[i])) ++i;
  std::string_view digits = t.substr(int_start, i - int_start);
  if (digits.empty()) return false;
  if (digits.size() > 1 && digits[0] == '0') {
    why = " (leading zero)";  // Clojure would read it as octal; EDN forbids it
    return false;
  }
  if (i == t.size() || (t[i] == 'N' && i + 1 == t.size())) {
    // Beyond 64 bits (Clojure's bigints): a big integer, exact.
    out = *IntegerFromDigits(t.substr(0, i));
    kind = EdnKind::kInteger;
    return true;
  }
  if (t[i] == '/') {
    std::string_view denominator = t.substr(i + 1);
    if (denominator.empty()) return false;
    for (char c : denominator) {
      if (!IsDigit(c)) return false;
    }
    double d = DigitsToDouble(denominator);
    if (d == 0) {
      why = " (zero denominator)";
      return false;
    }
    double n = DigitsToDouble(digits);
    out = (negative ? -n : n) / d;
    kind = EdnKind::kFloat;
    return true;
  }
  if (t[i] == '.') {
    ++i;
    while (i < t.size() && IsDigit(t[i])) ++i;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    const size_t exp_start = i;
    while (i < t.size() && IsDigit(t[i])) ++i;
    if (i == exp_start) return false;
  }
  const size_t end = i;
  if (i < t.size() && t[i] == 'M') ++i;  // BigDecimal: a double will do
  if (i != t.size()) return false;
  const size_t start = t[0] == '+' ? 1 : 0;  // from_chars takes '-' but not '+'
  double d = 0;
  auto [ptr, error] = std::from_chars(t.data() + start, t.data() + end, d);
  if (ptr != t.data() + end || (error != std::errc() && error != std::errc::result_out_of_range)) {
    return false;
  }
  out = d;
  kind = EdnKind::kFloat;
  return true;
}

std::string QuoteChar(char c) { return "'" + Printable(std::string_view(&c, 1)) + "'"; }

}  // namespace

std::string_view ToString(EdnKind kind) {
  switch (kind) {
    case EdnKind::kNil:
      return "nil";
    case EdnKind::kBool:
      return "boolean";
    case EdnKind::kInteger:
      return "integer";
    case EdnKind::kFloat:
      return "float";
    case EdnKind::kString:
      return "string";
    case EdnKind::kChar:
      return "character";
    case EdnKind::kKeyword:
      return "keyword";
    case EdnKind::kSymbol:
      return "symbol";
    case EdnKind::kVector:
      return "vector";
    case EdnKind::kList:
      return "list";
    case EdnKind::kSet:
      return "set";
    case EdnKind::kMap:
      return "map";
  }
  return "?";
}

const EdnEntry* EdnForm::entry(std::string_view key) const {
  for (const EdnEntry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

EdnReader::EdnReader(std::string_view text, EdnOptions options)
    : text_(text), options_(std::move(options)), line_(options_.first_line) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a UTF-8 byte order mark
  CheckUtf8();
}

void EdnReader::CheckUtf8() {
  if (std::optional<int64_t> bad =
          FirstLineNotUtf8(text_.substr(pos_), line_, /*text_may_be_cut=*/true)) {
    Fail(*bad, "not valid UTF-8");  // every Next() returns it
  }
}

void EdnReader::Continue(std::string_view text, bool partial) {
  text_ = text;
  pos_ = 0;
  resume_pos_ = 0;
  options_.partial = partial;
  needs_more_ = false;
  CheckUtf8();
}

EdnReader::~EdnReader() = default;
EdnReader::EdnReader(EdnReader&&) noexcept = default;
EdnReader& EdnReader::operator=(EdnReader&&) noexcept = default;

Status EdnReader::Fail(int64_t line, const std::string& what) {
  error_ = Status::Error(options_.source + ":" + std::to_string(line) + ": " + what);
  return *error_;
}

Status EdnReader::CutShort(int64_t line, const std::string& what) {
  if (options_.partial) return NeedMore();
  cut_short_ = true;
  return Fail(line, what);
}

Status EdnReader::NeedMore() {
  pos_ = resume_pos_;
  line_ = resume_line_;
  seen_form_ = resume_seen_form_;
  stack_.clear();
  form_tag_.clear();
  needs_more_ = true;
  return Status::Error("more text needed");  // never returned by Next()
}

void EdnReader::CountLineBreak(char c) {
  // CR ends a line; so does LF, unless it ends a CRLF. (pos_ is never just
  // after a CR at the start of a text: see resume_pos_.)
  if (c == '\r' || (c == '\n' && (pos_ == 0 || text_[pos_ - 1] != '\r'))) ++line_;
}

void EdnReader::SkipSpace() {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '\n' || c == '\r') {
      CountLineBreak(c);
      ++pos_;
    } else if (IsSpace(c)) {
      ++pos_;
    } else if (c == ';') {
      while (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '\r') ++pos_;
    } else {
      break;
    }
  }
}

Status EdnReader::Open(FrameType type, size_t width) {
  if (stack_.size() >= static_cast<size_t>(options_.max_depth)) {
    return Fail(line_, "nesting deeper than " + std::to_string(options_.max_depth) + " levels");
  }
  Frame frame{type, line_, pos_};
  if (type == FrameType::kMap) {
    frame.value = Json::object();
  } else if (type != FrameType::kTag && type != FrameType::kDiscard) {
    frame.value = Json::array();
  }
  frame.top_level = stack_.empty() || (stack_.back().is_prefix() && stack_.back().top_level);
  pos_ += width;
  stack_.push_back(std::move(frame));
  return Status();
}

Status EdnReader::Close(Value& out) {
  const char c = text_[pos_];
  if (stack_.empty()) {
    if (seq_closer_ != 0) {
      return Fail(line_, "expected " + QuoteChar(seq_closer_) +
                             " to close the top-level sequence "
                             "opened at line " +
                             std::to_string(seq_line_) + ", found " + QuoteChar(c));
    }
    return Fail(line_, "unexpected " + QuoteChar(c) + " with nothing open");
  }
  Frame& frame = stack_.back();
  if (frame.is_prefix()) {
    return Fail(line_, frame.opener() + " at line " + std::to_string(frame.line) +
                           " must be followed by a form, found " + QuoteChar(c));
  }
  if (c != frame.closer()) {
    return Fail(line_, "expected " + QuoteChar(frame.closer()) + " to close the " + frame.opener() +
                           " opened at line " + std::to_string(frame.line) + ", found " +
                           QuoteChar(c));
  }
  if (frame.has_key) {
    return Fail(line_, "the map opened at line " + std::to_string(frame.line) +
                           " ends with a key that has no value");
  }
  out.json = std::move(frame.value);
  out.kind = frame.kind();
  out.start = frame.start;
  out.end = pos_ + 1;
  out.entries = std::move(frame.entries);
  stack_.pop_back();
  ++pos_;
  return Status();
}

Status EdnReader::ReadString(Value& out) {
  const int64_t start_line = line_;
  out.start = pos_++;
  std::string s;
  while (true) {
    size_t j = pos_;
    while (j < text_.size() && text_[j] != '"' && text_[j] != '\\') {
      if (text_[j] == '\r' || (text_[j] == '\n' && text_[j - 1] != '\r')) ++line_;
      ++j;
    }
    s.append(text_.substr(pos_, j - pos_));
    pos_ = j;
    if (pos_ >= text_.size() || (text_[pos_] == '\\' && pos_ + 1 >= text_.size())) {
      return CutShort(start_line,
                      "string opened at line " + std::to_string(start_line) + " is never closed");
    }
    if (text_[pos_] == '"') {
      ++pos_;
      break;
    }
    // An escape may be cut by the end of a partial text (\uD83D\uDE00 is 12 bytes).
    if (options_.partial && text_.size() - pos_ < 12) return NeedMore();
    const char e = text_[pos_ + 1];
    pos_ += 2;
    switch (e) {
      case 'n':
        s.push_back('\n');
        break;
      case 't':
        s.push_back('\t');
        break;
      case 'r':
        s.push_back('\r');
        break;
      case 'b':
        s.push_back('\b');
        break;
      case 'f':
        s.push_back('\f');
        break;
      case '"':
      case '\\':
        s.push_back(e);
        break;
      case 'u': {
        uint32_t cp = 0;
        if (!ParseHex4(text_.substr(pos_), cp)) {
          return Fail(line_, "'\\u' in a string must be followed by 4 hex digits");
        }
        pos_ += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // a UTF-16 pair: \uD83D\uDE00
          uint32_t low = 0;
          if (text_.substr(pos_, 2) != "\\u" || !ParseHex4(text_.substr(pos_ + 2), low) ||
              low < 0xDC00 || low > 0xDFFF) {
            return Fail(line_, "'\\u' escape in a string is half of a UTF-16 pair");
          }
          pos_ += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (IsSurrogate(cp)) {
          return Fail(line_, "'\\u' escape in a string is half of a UTF-16 pair");
        }
        AppendUtf8(s, cp);
        break;
      }
      default:
        return Fail(line_,
                    "unknown escape '\\" + Printable(std::string_view(&e, 1)) + "' in a string");
    }
  }
  out.json = std::move(s);
  out.kind = EdnKind::kString;
  out.end = pos_;
  return Status();
}

Status EdnReader::ReadChar(Value& out) {
  out.start = pos_++;
  if (pos_ >= text_.size()) return CutShort(line_, "'\\' at the end of the input");
  if (IsSpace(text_[pos_])) return Fail(line_, "'\\' must be followed by a character");
  // The first character is taken whatever it is (\( is a paren), then a name may follow.
  size_t j = std::min(text_.size(), pos_ + Utf8Length(text_[pos_]));
  const size_t first_end = j;
  while (j < text_.size() && !IsDelimiter(text_[j])) ++j;
  if (j == text_.size() && options_.partial) return NeedMore();
  std::string_view name = text_.substr(pos_, j - pos_);
  pos_ = j;
  out.end = pos_;
  out.kind = EdnKind::kChar;
  uint32_t cp = 0;
  if (j == first_end) {
    out.json = std::string(name);
  } else if (name == "newline") {
    out.json = "\n";
  } else if (name == "space") {
    out.json = " ";
  } else if (name == "tab") {
    out.json = "\t";
  } else if (name == "return") {
    out.json = "\r";
  } else if (name == "backspace") {
    out.json = "\b";
  } else if (name == "formfeed") {
    out.json = "\f";
  } else if (name.size() == 5 && name[0] == 'u' && ParseHex4(name.substr(1), cp) &&
             !IsSurrogate(cp)) {
    std::string s;
    AppendUtf8(s, cp);
    out.json = std::move(s);
  } else {
    return Fail(line_, "unknown character '\\" + Printable(name) + "'");
  }
  return Status();
}

Status EdnReader::ReadAtom(Value& out) {
  out.start = pos_;
  while (pos_ < text_.size() && !IsDelimiter(text_[pos_])) ++pos_;
  if (pos_ == text_.size() && options_.partial) return NeedMore();  // the token may go on
  out.end = pos_;
  std::string_view token = text_.substr(out.start, out.end - out.start);
  if (token.empty()) return Fail(line_, "unexpected character");  // unreachable: see Next()
  const char c0 = token[0];
  if (IsDigit(c0) || ((c0 == '+' || c0 == '-') && token.size() > 1 && IsDigit(token[1]))) {
    std::string why;
    if (!ParseNumber(token, out.json, out.kind, why)) {
      return Fail(line_, "invalid number '" + Printable(token) + "'" + why);
    }
  } else if (c0 == ':') {
    std::string_view name = token.substr(1);
    if (!IsValidName(name)) return Fail(line_, "invalid keyword '" + Printable(token) + "'");
    out.json = std::string(name);
    out.kind = EdnKind::kKeyword;
  } else if (token == "nil") {
    out.json = nullptr;
    out.kind = EdnKind::kNil;
  } else if (token == "true" || token == "false") {
    out.json = token == "true";
    out.kind = EdnKind::kBool;
  } else if (IsValidName(token)) {
    out.json = std::string(token);
    out.kind = EdnKind::kSymbol;
  } else {
    return Fail(line_, "invalid symbol '" + Printable(token) + "'");
  }
  return Status();
}

// '#': a set, a discard, a tag or a symbolic value (##Inf).
Status EdnReader::ReadDispatch(bool& produced, Value& out) {
  produced = false;
  if (pos_ + 1 >= text_.size()) return CutShort(line_, "'#' at the end of the input");
  const char next = text_[pos_ + 1];
  if (next == '{') return Open(FrameType::kSet, 2);
  if (next == '_') return Open(FrameType::kDiscard, 2);
  size_t j = pos_ + 1;
  while (j < text_.size() && !IsDelimiter(text_[j])) ++j;
  if (j == text_.size() && options_.partial) return NeedMore();
  std::string_view token = text_.substr(pos_ + 1, j - pos_ - 1);
  if (next == '#') {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    if (token == "#Inf") {
      out.json = kInf;
    } else if (token == "#-Inf") {
      out.json = -kInf;
    } else if (token == "#NaN") {
      out.json = std::numeric_limits<double>::quiet_NaN();
    } else {
      return Fail(line_, "unknown symbolic value '#" + Printable(token) + "'");
    }
    out.kind = EdnKind::kFloat;
    out.start = pos_;
    out.end = pos_ = j;
    produced = true;
    return Status();
  }
  if (!IsAlpha(next) || !IsValidName(token)) {
    return Fail(line_, "invalid '#' dispatch '#" + Printable(token) + "'");
  }
  if (Status s = Open(FrameType::kTag, 1 + token.size()); !s.ok()) return s;
  stack_.back().name = std::string(token);
  return Status();
}

Result<bool> EdnReader::Deliver(Value value, EdnForm& done) {
  while (!stack_.empty()) {
    Frame& top = stack_.back();
    switch (top.type) {
      case FrameType::kDiscard:
        stack_.pop_back();
        return false;
      case FrameType::kTag:
        // #inst and #uuid are strings with a type; other tags (records such
        // as #jepsen.history.Op{...}) simply wrap their value.
        if ((top.name == "inst" || top.name == "uuid") && value.kind != EdnKind::kString) {
          return Fail(top.line, "#" + top.name + " must be followed by a string, found " +
                                    std::string(ToString(value.kind)));
        }
        value.start = top.start;
        if (stack_.size() == 1) form_tag_ = top.name;  // outermost tags come last
        stack_.pop_back();
        continue;
      case FrameType::kMap:
        if (!top.has_key) {
          const bool plain = value.kind == EdnKind::kString || value.kind == EdnKind::kKeyword ||
                             value.kind == EdnKind::kSymbol;
          std::string key =
              plain ? value.json.get<std::string>()
                    : CompactEdnText(text_.substr(value.start, value.end - value.start));
          if (top.value.contains(key)) {
            return Fail(line_, "key '" + Printable(key) +
                                   "' appears twice in the map opened at line " +
                                   std::to_string(top.line));
          }
          top.name = std::move(key);
          top.has_key = true;
          return false;
        }
        if (top.top_level) {
          top.entries.push_back(
              {top.name, value.kind, text_.substr(value.start, value.end - value.start)});
        }
        top.value[top.name] = std::move(value.json);
        top.has_key = false;
        return false;
      default:
        top.value.push_back(std::move(value.json));
        return false;
    }
  }
  done.value = std::move(value.json);
  done.kind = value.kind;
  done.tag = std::move(form_tag_);
  done.line = form_line_;
  done.entries = std::move(value.entries);
  return true;
}

Result<std::optional<EdnForm>> EdnReader::EndOfText() {
  if (options_.partial) {
    NeedMore();
    return std::optional<EdnForm>();
  }
  if (stack_.empty()) {
    if (seq_closer_ != 0) {
      form_line_ = line_;
      return CutShort(line_, "end of input before the " + QuoteChar(seq_closer_) +
                                 " closing the top-level sequence opened at line " +
                                 std::to_string(seq_line_));
    }
    return std::optional<EdnForm>();
  }
  const Frame& open = stack_.back();
  if (open.is_prefix()) {
    return CutShort(open.line,
                    "end of input after " + open.opener() + ", which must be followed by a form");
  }
  return CutShort(open.line, "end of input inside the " + open.opener() + " opened at line " +
                                 std::to_string(open.line) + " (no closing " +
                                 QuoteChar(open.closer()) + ")");
}

inline bool EdnReader::BeginTopLevel() {
  const char c = text_[pos_];
  if (seq_closer_ != 0 && c == seq_closer_) {
    seq_closer_ = 0;
    ++pos_;
    return false;
  }
  const bool first = !seen_form_;
  seen_form_ = true;
  if (options_.unwrap_top_level && first && (c == '[' || c == '(')) {
    seq_closer_ = c == '[' ? ']' : ')';
    seq_line_ = line_;
    ++pos_;
    return false;
  }
  form_line_ = line_;
  form_tag_.clear();
  return true;
}

inline Status EdnReader::ReadElement(bool& produced, Value& value) {
  switch (text_[pos_]) {
    case '(':
      produced = false;
      return Open(FrameType::kList, 1);
    case '[':
      produced = false;
      return Open(FrameType::kVector, 1);
    case '{':
      produced = false;
      return Open(FrameType::kMap, 1);
    case ')':
    case ']':
    case '}':
      return Close(value);
    case '"':
      return ReadString(value);
    case '\\':
      return ReadChar(value);
    case '#':
      return ReadDispatch(produced, value);
    default:
      return ReadAtom(value);
  }
}

Result<std::optional<EdnForm>> EdnReader::Next() {
  if (error_) return *error_;
  needs_more_ = false;
  EdnForm done;
  while (true) {
    if (stack_.empty()) {
      resume_pos_ = pos_;
      resume_line_ = line_;
      resume_seen_form_ = seen_form_;
    }
    SkipSpace();
    if (pos_ >= text_.size()) return EndOfText();
    if (stack_.empty() && !BeginTopLevel()) continue;
    Value value;
    bool produced = true;
    if (Status status = ReadElement(produced, value); !status.ok()) {
      if (needs_more_) return std::optional<EdnForm>();
      return status;
    }
    if (!produced) continue;
    Result<bool> complete = Deliver(std::move(value), done);
    if (!complete.ok()) return complete.status();
    if (*complete) return std::optional<EdnForm>(std::move(done));
  }
}

std::string CompactEdnText(std::string_view source) {
  std::string out;
  out.reserve(source.size());
  bool space = false;  // whitespace seen since the last character kept
  auto keep = [&](char c) {
    const bool after_opener = !out.empty() && IsOneOf(out.back(), "([{");
    const bool before_closer = IsOneOf(c, ")]}");
    if (space && !out.empty() && !after_opener && !before_closer) out.push_back(' ');
    space = false;
    out.push_back(c);
  };
  for (size_t i = 0; i < source.size(); ++i) {
    const char c = source[i];
    if (c == '"') {
      keep(c);
      for (++i; i < source.size() && source[i] != '"'; ++i) {
        out.push_back(source[i]);
        if (source[i] == '\\' && i + 1 < source.size()) out.push_back(source[++i]);
      }
      if (i < source.size()) out.push_back('"');
    } else if (c == ';') {
      while (i + 1 < source.size() && source[i + 1] != '\n') ++i;
      space = true;
    } else if (c == '\\') {  // a character literal: \space must not be taken for a space
      keep(c);
      if (i + 1 < source.size()) out.push_back(source[++i]);
    } else if (c != ',' && IsSpace(c)) {
      space = true;
    } else {
      keep(c);
    }
  }
  return out;
}

}  // namespace jepsen::history
