// The workloads' ops as Redis commands, and what each reply means. One
// command each, a Lua script (EVAL) where one built-in command is not atomic
// enough; Redis runs a script whole, with nothing in between:
//  register:    read = GET, write = SET, cas = compare-and-set script;
//  leases:      acquire = INCR token:K then SET lease:K token NX PX ttl (one
//               script: the token, or nil when held); renew / release =
//               compare-and-pexpire / compare-and-delete on the token;
//               write = fenced: the token compared with the highest accepted
//               for K (fencing on) or a plain SET (fencing off, the unsafe
//               pattern); read = GET of the resource;
//  checkpoints: checkpoint = store only over a lower seq; read = its seq.
// Values are stored as their JSON text, as the history has them.
#ifndef JEPSEN_SYSTEMS_REDIS_REDIS_OPS_H_
#define JEPSEN_SYSTEMS_REDIS_REDIS_OPS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "history/status.h"
#include "systems/system.h"

namespace jepsen::systems::redis {

// A reply as hiredis hands it over, without hiredis.
struct Reply {
  enum class Kind { kNil, kInteger, kString, kStatus, kError, kOther };
  Kind kind = Kind::kNil;
  int64_t integer = 0;
  std::string text;  // a string, status or error
};

struct Command {
  std::vector<std::string> argv;
  bool mutates = false;  // a lost reply leaves it unknown (info); a read's is a fail
  // The op's outcome from a reply that is no error.
  std::function<Completion(const Reply&)> decode;
};

// The command for `request` of `workload`; an error for an op the workload has not.
Result<Command> ToCommand(const std::string& workload, const Request& request, bool fencing);

// What an error reply means: `fail` when Redis refused before running the
// command (loading, a disk error, out of memory, a script that never ran...),
// `info` for a mutation otherwise (a script that stopped half-way keeps what it
// did), `fail` for a read.
Completion FromError(const std::string& error, bool mutates);

// The keys ops live under ("jepsen:register:x").
std::string RegisterKey(const Json& key);
std::string LeaseKey(const Json& resource);
std::string TokenKey(const Json& resource);
std::string FenceKey(const Json& resource);
std::string ResourceKey(const Json& resource);
std::string CheckpointKey(const Json& stream);

}  // namespace jepsen::systems::redis

#endif  // JEPSEN_SYSTEMS_REDIS_REDIS_OPS_H_
