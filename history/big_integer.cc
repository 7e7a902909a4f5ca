#include "history/big_integer.h"

#include <charconv>
#include <limits>
#include <string>

namespace jepsen::history {

Json BigInteger(std::string_view digits) {
  return Json::binary(Json::binary_t::container_type(digits.begin(), digits.end()),
                      kBigIntegerSubtype);
}

bool IsBigInteger(const Json& value) {
  return value.is_binary() && value.get_binary().has_subtype() &&
         value.get_binary().subtype() == kBigIntegerSubtype;
}

std::string_view BigIntegerDigits(const Json& value) {
  const Json::binary_t& bytes = value.get_binary();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

bool ContainsBigInteger(const Json& value) {
  switch (value.type()) {
    case Json::value_t::binary:
      return IsBigInteger(value);
    case Json::value_t::array:
    case Json::value_t::object:
      for (const Json& item : value) {
        if (ContainsBigInteger(item)) return true;
      }
      return false;
    default:
      return false;
  }
}

std::optional<Json> IntegerFromDigits(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  while (text.size() > 1 && text[0] == '0') text.remove_prefix(1);
  uint64_t u = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), u);
  if (error == std::errc()) {
    constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
    if (!negative) return u <= kMax ? Json(static_cast<int64_t>(u)) : Json(u);
    if (u <= kMax) return Json(-static_cast<int64_t>(u));
    if (u == kMax + 1) return Json(std::numeric_limits<int64_t>::min());
  }
  return BigInteger((negative ? "-" : "") + std::string(text));
}

}  // namespace jepsen::history
