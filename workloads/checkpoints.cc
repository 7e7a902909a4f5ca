#include "workloads/checkpoints.h"

#include <memory>
#include <vector>

#include "generator/combinators.h"
#include "workloads/common.h"

namespace jepsen::workloads {
namespace {

using generator::Context;
using generator::Op;

Workload Make(const options::Values& values) {
  Workload w;
  w.name = "checkpoints";
  const int streams = static_cast<int>(values.Integer("keys"));
  // Writers draw the next seq of a stream from one shared counter, so seqs grow
  // in invocation order; racing writers still reach the store out of order,
  // and those refused are correct behaviour.
  auto next_seq = std::make_shared<std::vector<int64_t>>(streams, 1);
  w.main = generator::FromFunction([=](const Context& ctx) -> std::optional<Op> {
    uint64_t s = ctx.rng().Uniform(streams);
    if (ctx.rng().Chance(0.4)) return Op{"read", KeyName("s", s), nullptr};
    int64_t seq = (*next_seq)[s]++;
    // Now and then a worker retries an older checkpoint (a duplicate delivery, a
    // restart replaying its log): the store must refuse it.
    if (seq > 3 && ctx.rng().Chance(0.1)) seq -= ctx.rng().Between(1, 3);
    return Op{"checkpoint",
              KeyName("s", s),
              {{"seq", seq}, {"data", "task state " + std::to_string(seq)}}};
  });
  w.final_reads = ReadEach("s", streams, true);
  w.options = {{"keys", streams}};
  return w;
}

}  // namespace

WorkloadType CheckpointsWorkload() {
  return {"checkpoints",
          "checkpoints of streams written with growing seqs and read back; checked for "
          "monotonicity (C1-C4)",
          {KeysOption("How many checkpoint streams")},
          Make};
}

}  // namespace jepsen::workloads
