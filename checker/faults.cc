#include "checker/faults.h"

namespace jepsen::checker {

bool BeginsFault(std::string_view f) {
  return f == "kill" || f == "pause" || f == "partition" || f == "clock" || f == "bump" ||
         f == "strobe" || f == "clock-bump";
}

bool IsFault(const history::Event& event) {
  return event.is_nemesis() && BeginsFault(event.f) && event.error.empty();
}

bool IsFailedFault(const history::Event& event) {
  return event.is_nemesis() && BeginsFault(event.f) && !event.error.empty();
}

}  // namespace jepsen::checker
