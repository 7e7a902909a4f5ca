#include "generator/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace jepsen::generator {
namespace {

TEST(Rng, PinnedStream) {
  // xoshiro256** seeded by SplitMix64: these values must never change, or old
  // seeds stop replaying their runs.
  Rng zero(0);
  EXPECT_EQ(zero.Next(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(zero.Next(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(zero.Next(), 0x1a5f849d4933e6e0ULL);
  Rng answer(42);
  EXPECT_EQ(answer.Next(), 0x15780b2e0c2ec716ULL);
}

TEST(Rng, SameSeedSameStreamOtherSeedOther) {
  Rng a(7), b(7), c(8);
  int same_as_c = 0;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    same_as_c += x == c.Next();
  }
  EXPECT_EQ(same_as_c, 0);
}

TEST(Rng, UniformStaysInRangeAndCoversIt) {
  Rng rng(1);
  std::vector<int> counts(10);
  for (int i = 0; i < 100'000; ++i) {
    const uint64_t x = rng.Uniform(10);
    ASSERT_LT(x, 10u);
    ++counts[x];
  }
  // Each bucket expects 10000; 5 standard deviations is about 475.
  for (int c : counts) EXPECT_NEAR(c, 10'000, 500);
  EXPECT_EQ(rng.Uniform(1), 0u);
}

TEST(Rng, BetweenIncludesBothEnds) {
  Rng rng(2);
  bool lo = false, hi = false;
  for (int i = 0; i < 1000; ++i) {
    const int64_t x = rng.Between(-2, 2);
    ASSERT_GE(x, -2);
    ASSERT_LE(x, 2);
    lo |= x == -2;
    hi |= x == 2;
  }
  EXPECT_TRUE(lo && hi);
  EXPECT_EQ(rng.Between(5, 5), 5);
  // The full range must not overflow.
  rng.Between(INT64_MIN, INT64_MAX);
}

TEST(Rng, DoublesChanceAndExponential) {
  Rng rng(3);
  double sum = 0, exp_sum = 0;
  int heads = 0;
  const int n = 100'000;
  for (int i = 0; i < n; ++i) {
    const double u = rng.UniformDouble();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    heads += rng.Chance(0.25);
    const double e = rng.Exponential(5.0);
    ASSERT_GE(e, 0.0);
    ASSERT_TRUE(std::isfinite(e));
    exp_sum += e;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.01);
  EXPECT_NEAR(heads, n / 4, 1000);
  EXPECT_NEAR(exp_sum / n, 5.0, 0.1);
  EXPECT_FALSE(rng.Chance(0.0));
  EXPECT_TRUE(rng.Chance(1.0));
}

TEST(Rng, SplitGivesAnIndependentReproducibleStream) {
  Rng a(9), b(9);
  Rng child_a = a.Split();
  Rng child_b = b.Split();
  EXPECT_EQ(child_a.Next(), child_b.Next());
  EXPECT_EQ(a.Next(), b.Next());  // parents stay in step
  Rng fresh(9);
  EXPECT_NE(child_a.Next(), fresh.Next());
}

}  // namespace
}  // namespace jepsen::generator
