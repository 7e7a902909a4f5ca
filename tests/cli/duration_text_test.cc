#include "cli/duration_text.h"

#include <gtest/gtest.h>

#include <cmath>

namespace jepsen::cli {
namespace {

TEST(DurationText, AUnitAndPrecisionForEachSize) {
  EXPECT_EQ(DurationText(0), "0.00 ms");
  EXPECT_EQ(DurationText(0.0000042), "0.00 ms");
  EXPECT_EQ(DurationText(0.00272), "2.72 ms");
  EXPECT_EQ(DurationText(0.009996), "10 ms");  // not "10.00 ms"
  EXPECT_EQ(DurationText(0.0372), "37 ms");
  EXPECT_EQ(DurationText(0.9996), "1.00 s");     // not "1000 ms"
  EXPECT_EQ(DurationText(12.345678), "12.3 s");  // not "12345.678 ms" nor "12346 ms"
  EXPECT_EQ(DurationText(59.99), "1 min 0 s");
  EXPECT_EQ(DurationText(125.4), "2 min 5 s");
  EXPECT_EQ(DurationText(3600), "1 h 0 min");
  EXPECT_EQ(DurationText(3 * 3600 + 125), "3 h 2 min");
  EXPECT_EQ(DurationText(-1), "0.00 ms");
  EXPECT_EQ(DurationText(std::nan("")), "0.00 ms");
}

}  // namespace
}  // namespace jepsen::cli
