// The stats check, after Jepsen's checker/stats: how many ops of each f ended
// ok, fail and info. A run proves nothing about an f it invoked and never once
// saw succeed (a client adapter broken since its init_ok, a store refusing
// everything), nor about faults it asked for and never injected; either makes
// the verdict unknown, never valid. CheckHistory adds it for histories whose
// header carries `nemesis` (jepsen-run's), so `jepsen-check` on a stored run
// reaches the run's own verdict.
#ifndef JEPSEN_CHECKER_STATS_H_
#define JEPSEN_CHECKER_STATS_H_

#include "checker/check_result.h"
#include "checker/registry.h"
#include "history/history.h"

namespace jepsen::checker::stats {

// facts: `by_f` ({f: {"ok", "fail", "info"}}), `never_ok` (the f's invoked
// that never succeeded), `nemesis` (the header's), `faults` (those that took
// effect), `failed_faults` (attempted, with an error).
CheckResult Check(const history::History& history);

// Its entry in the registry: never chosen, added to every history whose
// header carries `nemesis` (a run's).
Checker Registration();

// Whether a header `nemesis` value asks for faults: a name other than "none"
// in its comma-separated list.
bool AsksForFaults(const history::Json& nemesis);

}  // namespace jepsen::checker::stats

#endif  // JEPSEN_CHECKER_STATS_H_
