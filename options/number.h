// Numbers given on a command line, checked against a documented range: a
// value outside it (or nan, inf, trailing junk, a sign on an unsigned,
// overflow) is an error that shows the range in plain numbers.
#ifndef JEPSEN_OPTIONS_NUMBER_H_
#define JEPSEN_OPTIONS_NUMBER_H_

#include <string>
#include <string_view>

#include "history/status.h"

namespace jepsen::options {

// The values a numeric option takes: from `min` to `max`, each bound
// included unless said otherwise. T: int, unsigned, int64_t, uint64_t, double.
template <typename T>
struct Range {
  T min;
  T max;
  bool min_excluded = false;
  bool max_excluded = false;
};

// "from 0 to 1000000", "above 0, at most 60", "from 0, below 1": plain
// numbers, never exponents.
template <typename T>
std::string RangeText(const Range<T>& range);

// `value` in plain digits ("0.01", "1000000", "18446744073709551615").
template <typename T>
std::string NumberText(T value);

// A whole number (integral T) or a finite decimal number (double) in
// `range`; anything else is an error saying what was expected.
template <typename T>
Result<T> ParseNumber(std::string_view text, const Range<T>& range);

// OK when `value` is finite and in `range`; else an error naming `name`.
template <typename T>
Status CheckRange(const std::string& name, T value, const Range<T>& range);

}  // namespace jepsen::options

#endif  // JEPSEN_OPTIONS_NUMBER_H_
