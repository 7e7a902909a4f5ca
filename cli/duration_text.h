// Durations in jepsen-check's output, in a unit and precision people read:
// "0.42 ms", "37 ms", "1.25 s", "12.3 s", "2 min 5 s", "1 h 2 min".
#ifndef JEPSEN_CLI_DURATION_TEXT_H_
#define JEPSEN_CLI_DURATION_TEXT_H_

#include <string>

namespace jepsen::cli {

// Three significant digits at most below a minute, whole units above.
std::string DurationText(double seconds);

}  // namespace jepsen::cli

#endif  // JEPSEN_CLI_DURATION_TEXT_H_
