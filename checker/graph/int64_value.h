// Integer fields the lease and checkpoint checkers read (tokens, seqs): JSON
// integers in the int64 range. nlohmann keeps non-negative integers unsigned,
// so 2^64-1 would otherwise read as -1.
#ifndef JEPSEN_CHECKER_GRAPH_INT64_VALUE_H_
#define JEPSEN_CHECKER_GRAPH_INT64_VALUE_H_

#include <cstdint>
#include <limits>
#include <optional>

#include "history/event.h"

namespace jepsen::checker::graph {

// For messages: the range AsInt64 accepts.
inline constexpr const char* kInt64Range = "[-9223372036854775808, 9223372036854775807]";

// `value` as an int64, or nullopt when it is not an integer in that range.
inline std::optional<int64_t> AsInt64(const history::Json& value) {
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (value.is_number_integer()) return value.get<int64_t>();
  return std::nullopt;
}

}  // namespace jepsen::checker::graph

#endif  // JEPSEN_CHECKER_GRAPH_INT64_VALUE_H_
