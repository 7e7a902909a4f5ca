// The one source of randomness for generators: a small seeded PRNG whose
// output depends only on the seed. std::uniform_int_distribution and friends
// differ between standard libraries, so a run would not replay from its seed
// elsewhere; these helpers are defined here, bit for bit.
#ifndef JEPSEN_GENERATOR_RNG_H_
#define JEPSEN_GENERATOR_RNG_H_

#include <cstdint>

namespace jepsen::generator {

// xoshiro256** (Blackman & Vigna), its state filled from the seed by
// SplitMix64 so that nearby seeds give unrelated streams.
class Rng {
 public:
  explicit Rng(uint64_t seed);

  // 64 uniformly random bits.
  uint64_t Next();
  // Uniform in [0, n), without modulo bias. REQUIRES: n > 0.
  uint64_t Uniform(uint64_t n);
  // Uniform in [lo, hi], both ends included. REQUIRES: lo <= hi.
  int64_t Between(int64_t lo, int64_t hi);
  // Uniform in [0, 1), 53 bits of precision.
  double UniformDouble();
  // True with probability p (p <= 0: never, p >= 1: always).
  bool Chance(double p);
  // Exponentially distributed with the given mean (Poisson arrivals). Uses
  // std::log, which libms round alike in practice, though not by guarantee.
  double Exponential(double mean);
  // An independent stream derived from this one (advances this one once), for
  // a consumer whose draws must not shift everyone else's.
  Rng Split();

 private:
  uint64_t s_[4];
};

}  // namespace jepsen::generator

#endif  // JEPSEN_GENERATOR_RNG_H_
