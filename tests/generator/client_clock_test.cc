// A client thread's own clock: real time by default; a step moves it at once, a
// rate from the change on, continuously; the context hands each client thread
// its own.
#include "generator/client_clock.h"

#include <gtest/gtest.h>

#include "generator/context.h"
#include "tests/generator/sim.h"

namespace jepsen::generator {
namespace {

using sim::kMs;
using sim::kSec;

TEST(ClientClock, ReadsRealTimeUntilChanged) {
  ClientClock clock;
  EXPECT_EQ(clock.Read(0), 0);
  EXPECT_EQ(clock.Read(7 * kSec + 3), 7 * kSec + 3);
  EXPECT_EQ(clock.offset_s(5 * kSec), 0.0);
  EXPECT_EQ(clock.rate(), 1.0);
}

TEST(ClientClock, AStepMovesItAtOnceARateFromTheChangeOn) {
  const ClientClock back = ClientClock().Changed(2 * kSec, -5, 1);
  EXPECT_EQ(back.Read(2 * kSec), -3 * kSec);
  EXPECT_EQ(back.Read(4 * kSec), -1 * kSec);
  EXPECT_EQ(back.offset_s(4 * kSec), -5.0);

  const ClientClock slow = ClientClock().Changed(2 * kSec, 0, 0.25);
  EXPECT_EQ(slow.Read(2 * kSec), 2 * kSec) << "a rate change does not step it";
  EXPECT_EQ(slow.Read(6 * kSec), 3 * kSec);
  EXPECT_EQ(slow.offset_s(6 * kSec), -3.0);
  EXPECT_EQ(slow.rate(), 0.25);

  // Changed again: continuous from where the slow clock stood.
  const ClientClock fast = slow.Changed(6 * kSec, 1, 2);
  EXPECT_EQ(fast.Read(6 * kSec), 4 * kSec);
  EXPECT_EQ(fast.Read(7 * kSec), 6 * kSec);
  EXPECT_EQ(fast.offset_s(8 * kSec), 0.0);
}

TEST(ClientClock, TheContextHandsEachClientThreadItsOwn) {
  Rng rng(1);
  std::vector<bool> free(3, true);
  const std::vector<ClientClock> clocks = {ClientClock(), ClientClock().Changed(0, 0, 0.5),
                                           ClientClock().Changed(kSec, -1, 1)};
  const Context ctx(4 * kSec, rng, free, true, clocks);
  EXPECT_EQ(ctx.ClientNow(0), 4 * kSec);
  EXPECT_EQ(ctx.ClientNow(1), 2 * kSec);
  EXPECT_EQ(ctx.ClientNow(2), 3 * kSec);
  EXPECT_EQ(ctx.WithThread(1).ClientNow(1), 2 * kSec) << "narrowed copies keep the clocks";
  EXPECT_EQ(ctx.ClientNow(kNemesisThread), 4 * kSec);
  const Context real(4 * kSec + kMs, rng, free, true);
  EXPECT_EQ(real.ClientNow(1), 4 * kSec + kMs) << "no clocks given: real time";
}

}  // namespace
}  // namespace jepsen::generator
