#include "workloads/register.h"

#include "generator/combinators.h"
#include "workloads/common.h"

namespace jepsen::workloads {
namespace {

using generator::Context;
using generator::Op;

Workload Make(const options::Values& values) {
  Workload w;
  w.name = "register";
  const int keys = static_cast<int>(values.Integer("keys"));
  w.main = generator::FromFunction([keys](const Context& ctx) -> std::optional<Op> {
    Json key = static_cast<int64_t>(ctx.rng().Uniform(keys));
    uint64_t pick = ctx.rng().Uniform(10);
    if (pick < 5) return Op{"read", key, nullptr};
    if (pick < 8) return Op{"write", key, ctx.rng().Between(0, 4)};
    return Op{"cas", key, Json::array({ctx.rng().Between(0, 4), ctx.rng().Between(0, 4)})};
  });
  w.final_reads = ReadEach("", keys, false);
  w.options = {{"keys", keys}};
  return w;
}

}  // namespace

WorkloadType RegisterWorkload() {
  return {"register",
          "registers read, written and compared-and-set; checked for linearizability",
          {KeysOption("How many registers")},
          Make};
}

}  // namespace jepsen::workloads
