// A tiny fake runner for tests: drives a generator in simulated time with N
// client threads and a nemesis thread, a fake system that completes each op
// after a random latency, and the runner's side of the protocol (ask until
// pending, wake on time or completion, report completions via Update). It
// also checks the generator's side: ops only for idle threads, wakes in the
// future, no waiting forever with nothing running.
#ifndef JEPSEN_TESTS_GENERATOR_SIM_H_
#define JEPSEN_TESTS_GENERATOR_SIM_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "generator/client_clock.h"
#include "generator/generator.h"
#include "history/event.h"

namespace jepsen::generator::sim {

inline constexpr Nanos kMs = 1'000'000;
inline constexpr Nanos kSec = 1'000'000'000;

// How the fake system completes an op.
struct Outcome {
  history::EventType type = history::EventType::kOk;
  history::Json value;  // the completion's value
  Nanos latency = 0;
  std::string error;
};
// Called at invocation; `rng` is the system's own (not the generator's).
using System = std::function<Outcome(Thread thread, const Op& op, Nanos now, Rng& rng)>;

struct Options {
  int clients = 3;
  uint64_t seed = 1;         // the generator's RNG
  uint64_t system_seed = 2;  // the fake system's RNG (latencies)
  Nanos min_latency = 1 * kMs;
  Nanos max_latency = 10 * kMs;
  Nanos max_time = 3600 * kSec;  // safety stops
  int64_t max_ops = 100'000;
  System system;                    // default: ok with the invoke's value after a uniform latency
  std::vector<ClientClock> clocks;  // each client thread's own clock; empty: real time
};

struct Record {
  Thread thread = 0;
  history::Event event;  // invoke or completion, process numbered as a runner would
};

struct Result {
  std::vector<Record> events;  // in time order
  bool exhausted = false;      // the generator finished (not a safety stop)
  Nanos end = 0;               // time of the last event handled
  std::string error;           // a broken contract, empty when none

  std::vector<Record> invokes() const;
  std::vector<Record> completions() const;
  // The f of each invoke, in order.
  std::vector<std::string> fs() const;
};

Result Run(Generator& gen, const Options& options = {});

}  // namespace jepsen::generator::sim

#endif  // JEPSEN_TESTS_GENERATOR_SIM_H_
