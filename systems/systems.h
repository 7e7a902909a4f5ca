// The systems module's front door: the systems under test by name, each with
// the options it takes.
#ifndef JEPSEN_SYSTEMS_SYSTEMS_H_
#define JEPSEN_SYSTEMS_SYSTEMS_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "options/option.h"
#include "systems/system.h"

namespace jepsen::systems {

// A system as users choose it (system=<name>).
struct SystemType {
  std::string name;
  std::string help;                      // one line, for --help
  std::vector<options::Option> options;  // what it takes (nodes=, bug=, ...)
  // A system with these options (resolved against `options`: options::Resolve), not yet set up;
  // errors refuse a combination of options before anything starts.
  std::function<Result<std::unique_ptr<System>>(const options::Values& values)> make;
};

// Every system, in the order --help lists them.
const std::vector<SystemType>& Systems();
// The system called `name`; errors list those known.
Result<const SystemType*> FindSystem(std::string_view name);
std::vector<std::string> SystemNames();

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_SYSTEMS_H_
