#include "options/number.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace jepsen::options {
namespace {

template <typename T>
std::string Error(const std::string& text, const Range<T>& range) {
  Result<T> r = ParseNumber<T>(text, range);
  return r.ok() ? "ok" : r.message();
}

TEST(ParseNumber, AcceptsNumbersInRange) {
  const Range<double> seconds{0, 1000000};
  EXPECT_EQ(ParseNumber<double>("0", seconds).value(), 0);
  EXPECT_EQ(ParseNumber<double>("2.5", seconds).value(), 2.5);
  EXPECT_EQ(ParseNumber<double>("1e6", seconds).value(), 1e6);
  const Range<uint64_t> seed{0, std::numeric_limits<uint64_t>::max()};
  EXPECT_EQ(ParseNumber<uint64_t>("18446744073709551615", seed).value(),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(ParseNumber<int>("-3", Range<int>{-5, 5}).value(), -3);
}

TEST(ParseNumber, RejectsOutOfRangeShowingTheRangeInPlainNumbers) {
  const Range<double> seconds{0, 1000000};
  EXPECT_EQ(Error("9.3e9", seconds),
            "'9.3e9' is out of range; expected a number from 0 to 1000000");
  EXPECT_EQ(Error("-1", seconds), "'-1' is out of range; expected a number from 0 to 1000000");
  EXPECT_EQ(Error("1e400", seconds),
            "'1e400' is out of range; expected a number from 0 to 1000000");
  EXPECT_EQ(Error("1000000.001", seconds),
            "'1000000.001' is out of range; expected a number from 0 to 1000000");
}

TEST(ParseNumber, RejectsNanInfinityAndJunk) {
  const Range<double> drift{0, 0.5};
  for (const char* text : {"nan", "NaN", "inf", "-inf", "infinity"}) {
    EXPECT_EQ(Error(text, drift), "'" + std::string(text) +
                                      "' is not a finite number; expected a number from 0 to 0.5");
  }
  for (const char* text : {"", " 1", "1 ", "0.1x", "0x10", "1,5", "+-1", "--1"}) {
    EXPECT_EQ(Error(text, drift),
              "'" + std::string(text) + "' is not a number; expected a number from 0 to 0.5");
  }
}

TEST(ParseNumber, IntegersAreWholeAndTheirBoundsHold) {
  const Range<uint64_t> seed{0, std::numeric_limits<uint64_t>::max()};
  const std::string expected = "expected a whole number from 0 to 18446744073709551615";
  // strtoull, which CLI11 uses, reads both of these as 2^64-1.
  EXPECT_EQ(Error("-1", seed), "'-1' is out of range; " + expected);
  EXPECT_EQ(Error("18446744073709551616", seed),
            "'18446744073709551616' is out of range; " + expected);
  EXPECT_EQ(Error("-99999999999999999999", seed),
            "'-99999999999999999999' is out of range; " + expected);
  EXPECT_EQ(Error("1.5", seed), "'1.5' is not a whole number; " + expected);
  EXPECT_EQ(Error("1e3", seed), "'1e3' is not a whole number; " + expected);
  EXPECT_EQ(ParseNumber<int>("010", Range<int>{1, 100}).value(), 10);  // decimal, not octal
  EXPECT_EQ(Error("2147483648", Range<int>{0, 1000}),
            "'2147483648' is out of range; expected a whole number from 0 to 1000");
  EXPECT_EQ(Error("0", Range<int>{1, 1000}),
            "'0' is out of range; expected a whole number from 1 to 1000");
}

TEST(ParseNumber, ExcludedBounds) {
  const Range<double> above{0, 60, true};
  EXPECT_EQ(Error("0", above), "'0' is out of range; expected a number above 0, at most 60");
  EXPECT_TRUE(ParseNumber<double>("0.001", above).ok());
  EXPECT_TRUE(ParseNumber<double>("60", above).ok());
  const Range<double> below{0, 1, false, true};
  EXPECT_EQ(Error("1", below), "'1' is out of range; expected a number from 0, below 1");
  EXPECT_TRUE(ParseNumber<double>("0.999", below).ok());
}

TEST(CheckRange, NamesTheOptionAndRejectsNan) {
  EXPECT_TRUE(CheckRange("--drift", 0.5, Range<double>{0, 1, false, true}).ok());
  EXPECT_EQ(CheckRange("--drift", 1.5, Range<double>{0, 1, false, true}).message(),
            "--drift: 1.5 is out of range; expected a number from 0, below 1");
  EXPECT_FALSE(
      CheckRange("--drift", std::numeric_limits<double>::quiet_NaN(), Range<double>{0, 1}).ok());
  EXPECT_FALSE(
      CheckRange("--time-limit", std::numeric_limits<double>::infinity(), Range<double>{0, 1e6})
          .ok());
}

TEST(RangeText, PlainNumbers) {
  EXPECT_EQ(RangeText(Range<double>{0.001, 3600}), "from 0.001 to 3600");
  EXPECT_EQ(RangeText(Range<double>{0, 16777216}), "from 0 to 16777216");
}

}  // namespace
}  // namespace jepsen::options
