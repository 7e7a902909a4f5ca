// The process family: `kill` (SIGKILL to a node's process group; restarted
// when the fault ends) and `pause` (SIGSTOP; SIGCONT when it ends), on nodes
// the system runs as processes of the run (systems::ProcessNodes). Both may
// be in force on one node at once (overlap=on), and each holds until its own
// end: a node killed while paused comes back paused, and a pause of a node
// that is down holds it stopped from its restart on. A kill's end restarts a
// node only when no other fault (power, torn, corrupt) still holds it down
// (node_holds.h).
#ifndef JEPSEN_NEMESIS_PROCESS_PROCESS_PACKAGE_H_
#define JEPSEN_NEMESIS_PROCESS_PROCESS_PACKAGE_H_

#include <memory>

#include "nemesis/package.h"

namespace jepsen::nemesis {

std::unique_ptr<Package> NewProcessPackage();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_PROCESS_PROCESS_PACKAGE_H_
