#include "systems/systems.h"

#include "systems/refstore/refstore_system.h"

namespace jepsen::systems {

Result<std::unique_ptr<System>> MakeSystem(std::string_view name) {
  if (name == "refstore") return std::unique_ptr<System>(new refstore::RefstoreSystem());
  return Status::Error("unknown system '" + std::string(name) + "' (known: refstore)");
}

std::vector<std::string> SystemNames() { return {"refstore"}; }

}  // namespace jepsen::systems
