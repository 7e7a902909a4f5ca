// Integers wider than 64 bits. A history's `value` may be any JSON value, and
// JSON puts no bound on integers, but Json (nlohmann) holds at most 64 bits
// and would round a wider one through a double: two different 30-digit
// integers could then compare equal, a wrong verdict in the making.
//
// So such an integer is kept exact as a Json *binary* value of subtype
// kBigIntegerSubtype whose bytes are its decimal digits (a '-' first when
// negative, no leading zeros). No reader makes binary values otherwise, and
// Json compares binary values by subtype and bytes, hence: two big integers
// are equal exactly when their digits are, the same one read twice is equal
// to itself, and a big integer never equals a 64-bit integer (it cannot have
// the same value), a float (JSON 1e30 is a float, kept apart as JSON keeps
// them) or a string. DumpJson (json_text.h), the EDN writer and every report
// show the digits.
#ifndef JEPSEN_HISTORY_BIG_INTEGER_H_
#define JEPSEN_HISTORY_BIG_INTEGER_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "history/event.h"

namespace jepsen::history {

inline constexpr uint8_t kBigIntegerSubtype = 'N';  // as EDN writes them: 123N

// REQUIRES: `digits` is an optional '-' and decimal digits without a leading
// zero, beyond the 64-bit range (use an int64_t or uint64_t Json otherwise).
Json BigInteger(std::string_view digits);
bool IsBigInteger(const Json& value);
// "-123456789012345678901234567890". REQUIRES: IsBigInteger(value).
std::string_view BigIntegerDigits(const Json& value);
// Whether `value` or anything inside it is a big integer.
bool ContainsBigInteger(const Json& value);

// `text` (an optional sign, then decimal digits) as a Json integer: 64 bits
// when it fits, else a big integer. nullopt when it is no such text.
std::optional<Json> IntegerFromDigits(std::string_view text);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_BIG_INTEGER_H_
