// A fault that is a state of each target node, switched on when the fault
// begins and off when it ends: a full disk, failing fsyncs, a lossy or slow
// link. The begin event records the nodes (and whatever the fault drew for
// them); the end, per node, what switching it off reported. A begin that fails
// on one target switches the others back off: a fault not carried out is not
// counted. Each family says only how a node is switched (NodeSwitch) and what
// it needs of the system.
#ifndef JEPSEN_NEMESIS_SWITCHED_PACKAGE_H_
#define JEPSEN_NEMESIS_SWITCHED_PACKAGE_H_

#include <functional>
#include <memory>
#include <string>

#include "nemesis/package.h"
#include "options/option.h"

namespace jepsen::nemesis {

// How one node is switched, once the system is set up.
class NodeSwitch {
 public:
  virtual ~NodeSwitch() = default;
  // `value` is the begin op's ({"nodes": [...], and what was drawn}).
  virtual Status On(const std::string& node, const Json& value) = 0;
  // What the end records of the node (an object; null for nothing).
  virtual Result<Json> Off(const std::string& node) = 0;
};

struct SwitchedFault {
  history::FaultKind kind;               // exactly one begin f and one end f
  std::string help;                      // Package::Help
  std::vector<options::Option> options;  // Package::options
  // Fields of the begin op's value besides "nodes", drawn for each fault; may be null.
  std::function<Json(const Plan&, generator::Rng&)> draw;
  std::function<Status(const Plan&)> supports;  // Package::Supports
  std::function<void(systems::SetupContext&)> configure;
  // Takes hold of what it switches through; errors name what the system lacks.
  std::function<Result<std::unique_ptr<NodeSwitch>>(systems::System&)> bind;
};

std::unique_ptr<Package> NewSwitchedPackage(SwitchedFault fault);

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_SWITCHED_PACKAGE_H_
