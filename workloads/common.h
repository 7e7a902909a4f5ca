// What the workloads share: the `keys` option and the final reads of each key.
#ifndef JEPSEN_WORKLOADS_COMMON_H_
#define JEPSEN_WORKLOADS_COMMON_H_

#include <cstdint>
#include <string>

#include "generator/generator.h"
#include "options/option.h"

namespace jepsen::workloads {

// keys=N: how many registers, lease resources or checkpoint streams (`what`).
options::Option KeysOption(const std::string& what);

// "<prefix><i>": a key by its number ("r2", "s0").
std::string KeyName(const char* prefix, uint64_t i);

// A read of each of `keys` keys (named KeyName(prefix, i), or the number i
// itself unless `named`), across the client threads, retried until it comes
// back ok: after a heal the system may take a while to serve again, and the
// final reads are where lost writes show.
generator::GenPtr ReadEach(const char* prefix, int keys, bool named);

}  // namespace jepsen::workloads

#endif  // JEPSEN_WORKLOADS_COMMON_H_
