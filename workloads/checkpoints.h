// workload=checkpoints: workers write checkpoints of streams with growing seqs
// and read them back; checked for monotonicity (C1-C4).
#ifndef JEPSEN_WORKLOADS_CHECKPOINTS_H_
#define JEPSEN_WORKLOADS_CHECKPOINTS_H_

#include "workloads/workload.h"

namespace jepsen::workloads {

WorkloadType CheckpointsWorkload();

}  // namespace jepsen::workloads

#endif  // JEPSEN_WORKLOADS_CHECKPOINTS_H_
