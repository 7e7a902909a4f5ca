#include "checker/verdict.h"

#include <algorithm>

namespace jepsen::checker {

Verdict Merge(Verdict a, Verdict b) { return std::max(a, b); }  // enum order is severity

std::string_view ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kValid:
      return "valid";
    case Verdict::kUnknown:
      return "unknown";
    case Verdict::kInvalid:
      return "invalid";
  }
  return "?";
}

std::optional<Verdict> ParseVerdict(std::string_view text) {
  for (Verdict v : {Verdict::kValid, Verdict::kUnknown, Verdict::kInvalid}) {
    if (text == ToString(v)) return v;
  }
  return std::nullopt;
}

int ExitCode(Verdict verdict) {
  switch (verdict) {
    case Verdict::kValid:
      return 0;
    case Verdict::kInvalid:
      return 1;
    case Verdict::kUnknown:
      return 2;
  }
  return 255;
}

}  // namespace jepsen::checker
