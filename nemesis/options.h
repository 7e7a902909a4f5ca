// The nemesis' own options as jepsen-run takes them, declared once for its
// command line, --help and validation: which faults (nemesis=), whom they hit
// (target=) and how often (nemesis-interval=).
#ifndef JEPSEN_NEMESIS_OPTIONS_H_
#define JEPSEN_NEMESIS_OPTIONS_H_

#include <vector>

#include "options/option.h"

namespace jepsen::nemesis {

std::vector<options::Option> Options();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_OPTIONS_H_
