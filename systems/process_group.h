// Whether a process group still has a live process, from /proc: a killed
// node's group may outlive its leader (a child still in a FUSE write), and a
// power loss must wait until no write of the group can still be on its way.
// Plain C++ and /proc only: jepsen-keeper (static, on remote hosts) uses it too.
#ifndef JEPSEN_SYSTEMS_PROCESS_GROUP_H_
#define JEPSEN_SYSTEMS_PROCESS_GROUP_H_

namespace jepsen::systems {

// True while a process of group `group` runs or sleeps. A zombie has exited:
// its files are closed, which writes back what it dirtied through mmap (FUSE
// does so when a mapping or a file closes).
bool GroupRuns(int group);

// Waits (polling) until GroupRuns(group) is false or `timeout_ms` passes;
// returns whether the group is gone.
bool AwaitGroupGone(int group, int timeout_ms);

}  // namespace jepsen::systems

#endif  // JEPSEN_SYSTEMS_PROCESS_GROUP_H_
