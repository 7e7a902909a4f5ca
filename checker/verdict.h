// A verdict is data: valid, invalid, or unknown (a budget ran out — never a guess).
#ifndef JEPSEN_CHECKER_VERDICT_H_
#define JEPSEN_CHECKER_VERDICT_H_

#include <optional>
#include <string_view>

namespace jepsen::checker {

enum class Verdict { kValid, kUnknown, kInvalid };

// invalid > unknown > valid.
Verdict Merge(Verdict a, Verdict b);
std::string_view ToString(Verdict verdict);
// "valid", "invalid" or "unknown"; nullopt for anything else.
std::optional<Verdict> ParseVerdict(std::string_view text);
// The tools' exit code: 0 valid, 1 invalid, 2 unknown.
int ExitCode(Verdict verdict);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_VERDICT_H_
