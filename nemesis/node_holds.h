// Which faults hold each node down or stopped: one record shared by every
// package of a run that kills or pauses nodes (kill, pause, power, torn,
// corrupt), so that faults meeting on one node (overlap=on) compose. A node is
// down while any fault holds it down, and comes back only at the end of the
// last one (a kill ending inside a power loss restarts nothing); else it is
// stopped while any pause holds it; else it runs. A pause is a state of its
// own, not a hold down: a node paused and then taken down stays down, and
// comes back stopped if the pause still holds when it restarts.
#ifndef JEPSEN_NEMESIS_NODE_HOLDS_H_
#define JEPSEN_NEMESIS_NODE_HOLDS_H_

#include <map>
#include <string>
#include <vector>

#include "history/event.h"
#include "history/status.h"
#include "systems/capabilities.h"

namespace jepsen::nemesis {

class NodeHolds {
 public:
  explicit NodeHolds(systems::ProcessNodes& nodes) : nodes_(nodes) {}

  // SIGKILLs the node's group (again, if it is already down: its processes
  // are gone when this returns OK) and holds it down for `fault` (its kind).
  Status Down(const std::string& node, const std::string& fault);
  // Ends one hold of `fault` on the node (none held: nothing to end). When
  // it was the last hold down, restarts the node (stopped again if a pause
  // still holds it); else the node stays down, and (*held)[node] lists the
  // kinds that still hold it, for the end's event (EndValue).
  Status Release(const std::string& node, const std::string& fault, history::Json* held);
  // Holds the node stopped for `fault`: SIGSTOP, unless it is down (it stops
  // when it comes back).
  Status Pause(const std::string& node, const std::string& fault);
  // Ends one pause of `fault`; SIGCONT once no pause holds it and it is up.
  Status Resume(const std::string& node, const std::string& fault);

  bool IsDown(const std::string& node) const { return Count(down_, node) > 0; }
  // The kinds holding the node down, one entry per hold, in name order.
  std::vector<std::string> DownHolders(const std::string& node) const;
  // The nodes `fault` holds down or stopped, in name order.
  std::vector<std::string> HeldBy(const std::string& fault) const;

 private:
  using Holds = std::map<std::string, std::map<std::string, int>>;  // node -> kind -> holds
  static int Count(const Holds& holds, const std::string& node);
  static bool Drop(Holds& holds, const std::string& node, const std::string& fault);

  systems::ProcessNodes& nodes_;
  Holds down_, paused_;
};

// The value of a fault's end event: the nodes it ended on, or, when some of
// them stay down because other faults still hold them,
// {"nodes": [...], "held": {"<node>": [<kinds holding it down>]}}.
history::Json EndValue(history::Json nodes, history::Json held);

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_NODE_HOLDS_H_
