// Where runs keep their records: store/<workload>-<nemesis>/<UTC timestamp>/,
// and store/latest pointing at the newest run that got as far as its first op.
#ifndef JEPSEN_RUNNER_STORE_LAYOUT_H_
#define JEPSEN_RUNNER_STORE_LAYOUT_H_

#include <string>

#include "history/status.h"

namespace jepsen::runner {

// "20240101T100000.123" (for_path) or "2024-01-01T10:00:00.123Z", now, in UTC.
std::string UtcStamp(bool for_path);

// Creates store/<group>/<stamp> for a new run, exclusively: a run started in the
// same millisecond as another gets "<stamp>-2" (-3, ...), never the other's
// directory. Returns its path.
Result<std::string> CreateRunDirectory(const std::string& store, const std::string& group);

// Points store/latest at `dir` (a run directory under `store`), by a relative
// link so the store can move, replaced in one rename.
Status PointLatestAt(const std::string& store, const std::string& dir);

}  // namespace jepsen::runner

#endif  // JEPSEN_RUNNER_STORE_LAYOUT_H_
