#include "systems/systems.h"

#include "systems/etcd/etcd_system.h"
#include "systems/exec/exec_system.h"
#include "systems/postgres/postgres_system.h"
#include "systems/redis/redis_system.h"
#include "systems/refstore/refstore_system.h"

namespace jepsen::systems {

const std::vector<SystemType>& Systems() {
  static const std::vector<SystemType> all = {
      refstore::Registration(),  // the bundled reference store, the default
      exec::Registration(),      // the user's own
      etcd::Registration(),      // Debian's etcd cluster
      redis::Registration(),     // Debian's redis-server
      postgres::Registration(),  // Debian's PostgreSQL
  };
  return all;
}

Result<const SystemType*> FindSystem(std::string_view name) {
  for (const SystemType& s : Systems()) {
    if (s.name == name) return &s;
  }
  std::string known;
  for (const std::string& n : SystemNames()) known += (known.empty() ? "" : ", ") + n;
  return Status::Error("unknown system '" + std::string(name) + "' (known: " + known + ")");
}

std::vector<std::string> SystemNames() {
  std::vector<std::string> names;
  for (const SystemType& s : Systems()) names.push_back(s.name);
  return names;
}

}  // namespace jepsen::systems
