// The client family: `client-pause` freezes one client thread (a GC pause as
// its client sees it: it sends nothing, its timers and op timeout stand still)
// past the end of its lease, 1.5 TTL + 0.5 s when the run's workload has one
// (or as long as its option client-pause-s says), then thaws it; through the
// run's ClientControl, so any system will do.
// Client threads appear in its events as "client-<thread>".
#ifndef JEPSEN_NEMESIS_CLIENT_CLIENT_PAUSE_PACKAGE_H_
#define JEPSEN_NEMESIS_CLIENT_CLIENT_PAUSE_PACKAGE_H_

#include <memory>
#include <string>

#include "nemesis/package.h"

namespace jepsen::nemesis {

std::unique_ptr<Package> NewClientPausePackage();

// "client-<thread>".
std::string ClientName(int thread);
// The thread of a "client-<thread>" name, or -1.
int ClientThread(const std::string& name);

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_CLIENT_CLIENT_PAUSE_PACKAGE_H_
