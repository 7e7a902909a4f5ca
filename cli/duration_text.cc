#include "cli/duration_text.h"

#include <cmath>
#include <cstdio>

namespace jepsen::cli {

std::string DurationText(double seconds) {
  if (!(seconds > 0)) seconds = 0;  // and nan
  char buffer[48];
  const double ms = seconds * 1000;
  // Each unit is used below the value its own format would round up to the next one.
  if (ms < 9.995) {
    std::snprintf(buffer, sizeof buffer, "%.2f ms", ms);
  } else if (ms < 999.5) {
    std::snprintf(buffer, sizeof buffer, "%.0f ms", ms);
  } else if (seconds < 9.995) {
    std::snprintf(buffer, sizeof buffer, "%.2f s", seconds);
  } else if (seconds < 59.95) {
    std::snprintf(buffer, sizeof buffer, "%.1f s", seconds);
  } else if (seconds < 3599.5) {
    const long s = std::lround(seconds);
    std::snprintf(buffer, sizeof buffer, "%ld min %ld s", s / 60, s % 60);
  } else {
    const double minutes = std::round(seconds / 60);
    std::snprintf(buffer, sizeof buffer, "%.0f h %.0f min", std::floor(minutes / 60),
                  std::fmod(minutes, 60));
  }
  return buffer;
}

}  // namespace jepsen::cli
