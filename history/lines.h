// Splitting an Input into lines, for the line-based formats (JSONL, etcd
// logs). A line ends at LF, CR or CRLF, so files from any system read with
// the right line numbers. Private to the history module.
#ifndef JEPSEN_HISTORY_LINES_H_
#define JEPSEN_HISTORY_LINES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "history/input.h"

namespace jepsen::history {

struct Line {
  std::string_view text;            // without its line break; Input::kPadding readable bytes follow
  int64_t number = 0;               // counting from 1
  bool last_without_break = false;  // the final line, ended by the end of the input
};

class LineReader {
 public:
  explicit LineReader(Input& in) : in_(in) {}

  // The next line, or nullopt after the last. Its text is valid until the
  // next call. A line longer than kMaxUnitBytes is an error naming it.
  Result<std::optional<Line>> Next();

  // Puts the line last returned, and all after it, back at the front of the
  // input's data(), for another reader. The LineReader is done after this.
  void GiveBack() { in_.Consume(start_); }

 private:
  static constexpr size_t kUnknown = SIZE_MAX;

  Input& in_;
  size_t pos_ = 0;        // where in in_.data() the next line begins
  size_t start_ = 0;      // where the line last returned began
  size_t lf_ = kUnknown;  // the next LF at or after pos_ (data().size(): none)
  size_t cr_ = kUnknown;  // likewise CR
  int64_t number_ = 0;
};

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_LINES_H_
