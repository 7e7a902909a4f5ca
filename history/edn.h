// A reader for EDN (https://github.com/edn-format/edn), the text form of
// Clojure data in which Jepsen, Knossos and Elle write histories. Forms come
// out as JSON (Json), which is what the rest of the house works with.
//
// JSON cannot say everything EDN can: keywords, symbols, characters and
// strings all become JSON strings (":foo/bar" -> "foo/bar"), lists and sets
// become arrays, ratios and decimals become doubles, and tags are dropped
// (#inst "..." -> the string). When a caller must know how a value was
// written -- `:process :nemesis` is the nemesis, `"nemesis"` is not -- each
// map form also lists its entries with their EdnKind and source text.
//
// The reader never recurses: nesting is kept on an explicit stack capped at
// EdnOptions::max_depth, so hostile input gives an error, not a stack overflow.
#ifndef JEPSEN_HISTORY_EDN_H_
#define JEPSEN_HISTORY_EDN_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "history/event.h"
#include "history/status.h"

namespace jepsen::history {

// How a form was written.
enum class EdnKind : uint8_t {
  kNil,
  kBool,
  kInteger,  // 12, -3, 12N (beyond 64 bits: a big integer, big_integer.h)
  kFloat,    // 1.5, 1e3, 1.5M, and ratios such as 1/2
  kString,
  kChar,     // \a, \newline, \u00e9: a one-character string
  kKeyword,  // :foo, :foo/bar: the name without the colon
  kSymbol,
  kVector,
  kList,
  kSet,
  kMap,
};

std::string_view ToString(EdnKind kind);  // "keyword", "map", ...

// One entry of a map form.
struct EdnEntry {
  std::string key;        // its key in the JSON object
  EdnKind kind;           // how its value was written (for a tagged value, the value's kind)
  std::string_view text;  // the value's source text, tag included; points into the reader's text
};

// One form read from the text.
struct EdnForm {
  Json value;
  EdnKind kind = EdnKind::kNil;
  std::string tag;                // its tag without '#' ("inst", "jepsen.history.Op"), or empty
  int64_t line = 0;               // where the form begins (its tag, if any)
  std::vector<EdnEntry> entries;  // a map's entries in source order; empty for other kinds

  // The entry with this JSON key, or nullptr.
  const EdnEntry* entry(std::string_view key) const;
};

struct EdnOptions {
  std::string source = "<edn>";   // names the text in error messages
  int64_t first_line = 1;         // the line number the text starts on
  bool unwrap_top_level = false;  // when the first form is a vector or list, yield its elements
  int max_depth = 1000;           // deeper nesting (brackets, tags, #_) is an error
  bool partial = false;           // more text may follow the text given: see needs_more()
};

// Streams forms out of EDN text: Next() returns one top-level form at a time
// (with unwrap_top_level and a text that begins with a vector or list, one
// element of it at a time, then any forms after it), so a history of a
// million ops never sits in memory as one value. Lines end at LF, CR or CRLF.
// The text must outlive the reader and the EdnEntry::text views it hands out.
//
// A text may also come in pieces (EdnOptions::partial): when the next form
// runs past the end of the text given, Next() returns nullopt with
// needs_more() true, and the reader stands at offset(), where the space
// before that form began; Continue() then gives it the text from there on
// with more after it.
//
// Map keys: strings as they are, keywords without the colon, anything else
// as its compact EDN text (0 -> "0", [1 2] -> "[1 2]"). A key repeated in
// one map is an error.
class EdnReader {
 public:
  explicit EdnReader(std::string_view text, EdnOptions options = {});
  ~EdnReader();
  EdnReader(EdnReader&&) noexcept;
  EdnReader& operator=(EdnReader&&) noexcept;

  // The next form; nullopt at the end of the text. An error names
  // "source:line: what was wrong"; after one, Next() keeps returning it.
  Result<std::optional<EdnForm>> Next();

  // After Next() returned nullopt: whether that was for want of more text.
  bool needs_more() const { return needs_more_; }
  // REQUIRES: needs_more(). `text` is the text from offset() on, longer than
  // before; `partial` as in EdnOptions.
  void Continue(std::string_view text, bool partial);

  // The line the reader is at.
  int64_t line() const { return line_; }
  // Bytes of the text consumed: just past the last form returned.
  size_t offset() const { return pos_; }
  // The line the form being read (or last returned) began on.
  int64_t form_line() const { return form_line_; }
  // After Next() failed: whether it was because the text ended inside a
  // form, as a writer killed mid-form leaves it (form_line() says where the
  // form began). A top-level vector or list being unwrapped that lacks only
  // its closing bracket counts too, with form_line() the line the text ends on.
  bool cut_short() const { return cut_short_; }

 private:
  enum class FrameType : uint8_t;
  struct Frame;
  struct Value;

  Status Fail(int64_t line, const std::string& what);
  Status CutShort(int64_t line, const std::string& what);
  // For a partial text: the form runs past its end; back to the resume point.
  Status NeedMore();
  void CheckUtf8();
  // Counts the line break at pos_, if there is one (CRLF counts once).
  void CountLineBreak(char c);
  void SkipSpace();
  Status Open(FrameType type, size_t width);
  Status Close(Value& out);
  Status ReadString(Value& out);
  Status ReadChar(Value& out);
  Status ReadAtom(Value& out);
  Status ReadDispatch(bool& produced, Value& out);
  // At the end of the text: nothing more (or, for a partial text, wait for
  // more), or the form or top-level sequence it cuts short.
  Result<std::optional<EdnForm>> EndOfText();
  // At pos_, outside any form: steps over the brackets of a top-level
  // sequence being unwrapped (false), or starts a form there (true).
  bool BeginTopLevel();
  // Reads what starts at pos_: an opening bracket (not `produced`), or a value.
  Status ReadElement(bool& produced, Value& value);
  // Hands a finished value to the form being built. Returns true when that
  // completed a top-level form, which is then in `done`.
  Result<bool> Deliver(Value value, EdnForm& done);

  std::string_view text_;
  EdnOptions options_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  std::vector<Frame> stack_;
  char seq_closer_ = 0;     // the closer of the top-level sequence being unwrapped, or 0
  bool seen_form_ = false;  // whether a top-level form has begun (only the first is unwrapped)
  int64_t seq_line_ = 0;
  int64_t form_line_ = 0;
  std::string form_tag_;  // the outermost tag of the top-level form being read
  bool cut_short_ = false;
  std::optional<Status> error_;
  // Where to go back to when a partial text ends inside a form: the start of
  // the space before it, with the state the reader had there.
  size_t resume_pos_ = 0;
  int64_t resume_line_ = 1;
  bool resume_seen_form_ = false;
  bool needs_more_ = false;
};

// The compact EDN text of a form's source: outside strings, runs of
// whitespace and comments become one space (none just inside brackets),
// commas stay, and the ends are trimmed: "[ :a\n  1 ]" -> "[:a 1]".
std::string CompactEdnText(std::string_view source);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_EDN_H_
