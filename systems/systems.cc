#include "systems/systems.h"

#include "systems/etcd/etcd_system.h"
#include "systems/exec/exec_system.h"
#include "systems/refstore/refstore_system.h"

namespace jepsen::systems {

Result<std::unique_ptr<System>> MakeSystem(std::string_view name) {
  if (name == "refstore") return std::unique_ptr<System>(new refstore::RefstoreSystem());
  if (name == "exec") return std::unique_ptr<System>(new exec::ExecSystem());
  if (name == "etcd") return std::unique_ptr<System>(new etcd::EtcdSystem());
  return Status::Error("unknown system '" + std::string(name) + "' (known: refstore, exec, etcd)");
}

std::vector<std::string> SystemNames() { return {"refstore", "exec", "etcd"}; }

}  // namespace jepsen::systems
