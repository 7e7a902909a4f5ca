// A history's bytes, read exactly once from the front: a regular file, a pipe,
// a FIFO, /dev/stdin or text already in memory. Format detection and the
// readers share one Input, so nothing is opened twice and nothing read is
// lost. Private to the history module.
//
// Readers consume whole units (a line, a JSON array element, an EDN form) from
// the front of data() and ask for more only when the unit they are in is
// unfinished, so memory holds one unit and one chunk. No unit may be longer
// than kMaxUnitBytes: endless input without a line break (/dev/zero) is an
// error naming where the unit began, never unbounded memory.
#ifndef JEPSEN_HISTORY_INPUT_H_
#define JEPSEN_HISTORY_INPUT_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "history/status.h"

namespace jepsen::history {

// The longest line, JSON array element or EDN form a history may hold.
inline constexpr size_t kMaxUnitBytes = size_t{64} << 20;
// "64 MiB", for messages.
std::string MaxUnitText();

class Input {
 public:
  // Zero bytes readable past the end of data(), as simdjson requires.
  static constexpr size_t kPadding = 64;

  static Result<Input> Open(const std::string& path);
  // `text` as if it were a whole file called `source`.
  static Input FromText(std::string_view text, std::string source);

  Input(Input&& other) noexcept;
  Input& operator=(Input&& other) noexcept;
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;
  ~Input();

  // The name in messages: the path given.
  const std::string& source() const { return source_; }
  // The size of a regular file, else 0: a hint for reserving memory.
  size_t size_hint() const { return size_hint_; }

  // The bytes read and not consumed yet (a UTF-8 byte order mark at the
  // start of the input is skipped); kPadding zero bytes follow them.
  std::string_view data() const { return {buffer_.get() + begin_, end_ - begin_}; }
  // Whether everything has been read: data() is then all that is left.
  bool at_end() const { return at_end_; }

  // Forgets the first `n` bytes of data(). REQUIRES: n <= data().size().
  void Consume(size_t n) { begin_ += n; }
  // Reads more onto the end of data() (a chunk, or the rest of a smaller
  // file, and at least as much as data() holds, so a long unit is read in
  // O(its length)). At the end of the input it sets at_end(). Errors name
  // the source; past the deadline, the error says the time limit was reached.
  Status ReadMore();
  // Readers ask for more every few MB: a deadline checked there bounds the
  // time spent reading (jepsen-check --time-limit counts from the file's reading).
  void set_deadline(std::chrono::steady_clock::time_point deadline) { deadline_ = deadline; }

 private:
  Input(int fd, std::string source, size_t size_hint);
  // Consumes a byte order mark at the start, once enough has been read to tell.
  void SkipByteOrderMark();

  int fd_ = -1;
  std::string source_;
  size_t size_hint_ = 0;
  std::unique_ptr<char[]> buffer_;  // not zeroed: only bytes read are touched
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool at_end_ = false;
  bool checked_mark_ = false;
  size_t total_read_ = 0;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
};

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_INPUT_H_
