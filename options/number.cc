#include "options/number.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <type_traits>

namespace jepsen::options {
namespace {

template <typename T>
bool InRange(T value, const Range<T>& range) {
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(value)) return false;
  }
  const bool above = range.min_excluded ? value > range.min : value >= range.min;
  const bool below = range.max_excluded ? value < range.max : value <= range.max;
  return above && below;
}

template <typename T>
std::string Expected(const Range<T>& range) {
  return std::string("expected ") + (std::is_integral_v<T> ? "a whole number " : "a number ") +
         RangeText(range);
}

// Whether `text` is all of a number of type U (in range of U or not).
template <typename U>
bool IsNumberOf(std::string_view text) {
  U value;
  auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ptr == text.data() + text.size() &&
         (error == std::errc() || error == std::errc::result_out_of_range);
}

}  // namespace

template <typename T>
std::string NumberText(T value) {
  char buffer[64];
  std::to_chars_result r;
  if constexpr (std::is_floating_point_v<T>) {
    // Fixed notation where it stays short (every range here), else "1e+300".
    const double size = std::abs(value);
    const bool fixed = size == 0 || (size >= 1e-6 && size < 1e15);
    r = fixed ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed)
              : std::to_chars(buffer, buffer + sizeof buffer, value);
  } else {
    r = std::to_chars(buffer, buffer + sizeof buffer, value);
  }
  return std::string(buffer, r.ptr);
}

template <typename T>
std::string RangeText(const Range<T>& range) {
  std::string text = (range.min_excluded ? "above " : "from ") + NumberText(range.min);
  if (range.max_excluded) return text + ", below " + NumberText(range.max);
  return text + (range.min_excluded ? ", at most " : " to ") + NumberText(range.max);
}

template <typename T>
Result<T> ParseNumber(std::string_view text, const Range<T>& range) {
  const std::string quoted = "'" + std::string(text) + "'";
  T value{};
  auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  const bool whole = ptr == text.data() + text.size();
  if (whole && error == std::errc::result_out_of_range) {
    return Status::Error(quoted + " is out of range; " + Expected(range));
  }
  if (!whole || error != std::errc()) {
    if constexpr (std::is_integral_v<T>) {
      if (IsNumberOf<int64_t>(text)) {  // "-1" for an unsigned
        return Status::Error(quoted + " is out of range; " + Expected(range));
      }
      if (IsNumberOf<double>(text)) {  // "1.5", "1e3"
        return Status::Error(quoted + " is not a whole number; " + Expected(range));
      }
    }
    return Status::Error(quoted + " is not a number; " + Expected(range));
  }
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(value)) {
      return Status::Error(quoted + " is not a finite number; " + Expected(range));
    }
  }
  if (!InRange(value, range)) return Status::Error(quoted + " is out of range; " + Expected(range));
  return value;
}

template <typename T>
Status CheckRange(const std::string& name, T value, const Range<T>& range) {
  if (InRange(value, range)) return Status();
  return Status::Error(name + ": " + NumberText(value) + " is out of range; " + Expected(range));
}

#define JEPSEN_OPTIONS_NUMBER(T)                                        \
  template std::string NumberText<T>(T);                                \
  template std::string RangeText<T>(const Range<T>&);                   \
  template Result<T> ParseNumber<T>(std::string_view, const Range<T>&); \
  template Status CheckRange<T>(const std::string&, T, const Range<T>&);
JEPSEN_OPTIONS_NUMBER(int)
JEPSEN_OPTIONS_NUMBER(unsigned)
JEPSEN_OPTIONS_NUMBER(int64_t)
JEPSEN_OPTIONS_NUMBER(uint64_t)
JEPSEN_OPTIONS_NUMBER(double)
#undef JEPSEN_OPTIONS_NUMBER

}  // namespace jepsen::options
