#include "checker/graph/time_text.h"

#include <algorithm>
#include <cstdio>

namespace jepsen::checker::graph {

std::string Seconds(int64_t ns, int digits) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f s", digits, static_cast<double>(ns) / 1e9);
  return buffer;
}

int DigitsToTell(int64_t a, int64_t b) {
  for (int digits : {3, 6}) {
    if (Seconds(a, digits) != Seconds(b, digits)) return digits;
  }
  return 9;
}

std::pair<std::string, std::string> SecondsPair(int64_t a, int64_t b) {
  const int digits = DigitsToTell(a, b);
  return {Seconds(a, digits), Seconds(b, digits)};
}

std::string At(const history::History& history, int64_t t) {
  return history.has_time ? Seconds(t) : history::PlaceText(history.format, t);
}

std::pair<std::string, std::string> AtPair(const history::History& history, int64_t a, int64_t b) {
  if (history.has_time) return SecondsPair(a, b);
  return {At(history, a), At(history, b)};
}

std::vector<std::string> AtEach(const history::History& history, const std::vector<int64_t>& ts) {
  int digits = 3;
  if (history.has_time) {
    for (size_t i = 0; i < ts.size(); ++i) {
      for (size_t j = i + 1; j < ts.size(); ++j) {
        if (ts[i] != ts[j]) digits = std::max(digits, DigitsToTell(ts[i], ts[j]));
      }
    }
  }
  std::vector<std::string> out;
  for (int64_t t : ts) out.push_back(history.has_time ? Seconds(t, digits) : At(history, t));
  return out;
}

}  // namespace jepsen::checker::graph
