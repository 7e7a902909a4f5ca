// workload=register: registers read, written and compared-and-set; checked for
// linearizability.
#ifndef JEPSEN_WORKLOADS_REGISTER_H_
#define JEPSEN_WORKLOADS_REGISTER_H_

#include "workloads/workload.h"

namespace jepsen::workloads {

WorkloadType RegisterWorkload();

}  // namespace jepsen::workloads

#endif  // JEPSEN_WORKLOADS_REGISTER_H_
