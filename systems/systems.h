// The systems module's front door: systems under test by name.
#ifndef JEPSEN_SYSTEMS_SYSTEMS_H_
#define JEPSEN_SYSTEMS_SYSTEMS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "systems/system.h"

namespace jepsen::systems {

// "refstore" (the bundled reference store), "exec" (the user's own), "etcd".
// Errors list the names known.
Result<std::unique_ptr<System>> MakeSystem(std::string_view name);
std::vector<std::string> SystemNames();

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_SYSTEMS_H_
