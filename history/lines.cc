#include "history/lines.h"

#include <algorithm>
#include <cstring>

namespace jepsen::history {
namespace {

// The offset of the first `c` in data[from, size), or size.
size_t Find(std::string_view data, size_t from, char c) {
  const void* p = std::memchr(data.data() + from, c, data.size() - from);
  return p == nullptr ? data.size()
                      : static_cast<size_t>(static_cast<const char*>(p) - data.data());
}

}  // namespace

Result<std::optional<Line>> LineReader::Next() {
  while (true) {
    const std::string_view data = in_.data();
    const size_t size = data.size();
    if (pos_ < size) {
      // Each search is cached until passed, so a file without CR costs one
      // search for it per chunk.
      if (lf_ == kUnknown || lf_ < pos_) lf_ = Find(data, pos_, '\n');
      if (cr_ == kUnknown || cr_ < pos_) cr_ = Find(data, pos_, '\r');
      const size_t end = std::min(lf_, cr_);
      size_t after = end + 1;
      bool whole = end < size;
      if (whole && data[end] == '\r') {
        if (end + 1 < size) {
          if (data[end + 1] == '\n') after = end + 2;
        } else if (!in_.at_end()) {
          whole = false;  // a CR at the end of what was read may be half a CRLF
        }
      }
      if (whole) {
        start_ = pos_;
        pos_ = after;
        return std::optional<Line>(Line{data.substr(start_, end - start_), ++number_, false});
      }
    }
    if (in_.at_end()) {
      if (pos_ >= size) return std::optional<Line>();
      start_ = pos_;
      pos_ = size;
      return std::optional<Line>(Line{data.substr(start_), ++number_, true});
    }
    if (size - pos_ > kMaxUnitBytes) {
      return Status::Error(in_.source() + ":" + std::to_string(number_ + 1) +
                           ": line longer than " + MaxUnitText() +
                           " (the longest line a history may hold)");
    }
    in_.Consume(pos_);
    pos_ = start_ = 0;
    lf_ = cr_ = kUnknown;
    if (Status s = in_.ReadMore(); !s.ok()) return s;
  }
}

}  // namespace jepsen::history
