#include "tests/generator/sim.h"

#include <algorithm>
#include <queue>
#include <tuple>

namespace jepsen::generator::sim {
namespace {

struct Pending {
  Nanos time;
  int64_t seq;  // invocation order breaks ties, so the run is deterministic
  Thread thread;
  history::Event completion;
};
struct Later {
  bool operator()(const Pending& a, const Pending& b) const {
    return std::tie(a.time, a.seq) > std::tie(b.time, b.seq);
  }
};

}  // namespace

std::vector<Record> Result::invokes() const {
  std::vector<Record> out;
  for (const Record& r : events) {
    if (!r.event.is_completion()) out.push_back(r);
  }
  return out;
}

std::vector<Record> Result::completions() const {
  std::vector<Record> out;
  for (const Record& r : events) {
    if (r.event.is_completion()) out.push_back(r);
  }
  return out;
}

std::vector<std::string> Result::fs() const {
  std::vector<std::string> out;
  for (const Record& r : invokes()) out.push_back(r.event.f);
  return out;
}

Result Run(Generator& gen, const Options& options) {
  Rng rng(options.seed);
  Rng system_rng(options.system_seed);
  System system = options.system;
  if (!system) {
    system = [&options](Thread, const Op& op, Nanos, Rng& r) {
      return Outcome{history::EventType::kOk, op.value,
                     r.Between(options.min_latency, options.max_latency)};
    };
  }
  std::vector<bool> client_free(options.clients, true);
  bool nemesis_free = true;
  std::vector<int64_t> process(options.clients);
  for (int t = 0; t < options.clients; ++t) process[t] = t;
  std::priority_queue<Pending, std::vector<Pending>, Later> running;

  Result result;
  Nanos now = 0;
  int64_t seq = 0;
  bool exhausted = false;
  auto context = [&]() {
    return options.clocks.empty() ? Context(now, rng, client_free, nemesis_free)
                                  : Context(now, rng, client_free, nemesis_free, options.clocks);
  };
  auto fail = [&](std::string message) {
    result.error = std::move(message) + " at " + std::to_string(now);
    return result;
  };

  for (;;) {
    // Ask until the generator has nothing for now.
    Nanos wake = kNever;
    while (!exhausted) {
      Context ctx = context();
      Step step = gen.Next(ctx);
      if (step.is_exhausted()) {
        exhausted = true;
      } else if (step.is_pending()) {
        if (step.wake <= now) return fail("pending wake not in the future");
        wake = step.wake;
        break;
      } else {
        const Thread t = step.thread;
        const bool nemesis = t == kNemesisThread;
        if (!nemesis && (t < 0 || t >= options.clients)) return fail("op for no such thread");
        if (nemesis ? !nemesis_free : !client_free[t]) return fail("op for a busy thread");
        if (seq >= options.max_ops) return fail("too many ops");
        if (nemesis) {
          nemesis_free = false;
        } else {
          client_free[t] = false;
        }
        history::Event invoke;
        invoke.type = history::EventType::kInvoke;
        invoke.process = nemesis ? history::kNemesis : process[t];
        invoke.f = step.op.f;
        invoke.key = step.op.key;
        invoke.value = step.op.value;
        invoke.time = now;
        result.events.push_back({t, invoke});
        Outcome out = system(t, step.op, now, system_rng);
        history::Event done = invoke;
        done.type = nemesis ? history::EventType::kInfo : out.type;
        done.value = out.value;
        done.error = out.error;
        done.time = now + std::max<Nanos>(out.latency, 0);
        running.push({done.time, seq++, t, std::move(done)});
      }
    }
    if (exhausted && running.empty()) break;
    const Nanos next = std::min(wake, running.empty() ? kNever : running.top().time);
    if (next == kNever) return fail("waiting forever with no op running");
    if (next > options.max_time) return fail("out of simulated time");
    now = next;
    // Deliver every completion due by now, in order.
    while (!running.empty() && running.top().time <= now) {
      Pending p = running.top();
      running.pop();
      if (p.thread == kNemesisThread) {
        nemesis_free = true;
      } else {
        client_free[p.thread] = true;
        // A process whose op ended info never invokes again.
        if (p.completion.type == history::EventType::kInfo) process[p.thread] += options.clients;
      }
      result.events.push_back({p.thread, p.completion});
      Context ctx = context();
      gen.Update(ctx, p.thread, p.completion);
    }
  }
  result.exhausted = true;
  result.end = now;
  return result;
}

}  // namespace jepsen::generator::sim
