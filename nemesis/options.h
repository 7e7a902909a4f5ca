// The nemesis' options as jepsen-run takes them, declared once for its
// command line, --help and validation: which faults (nemesis=, with a line
// per fault from its package), whom they hit (target=), how often
// (nemesis-interval=), whether they overlap (overlap=), and every fault
// package's own options.
#ifndef JEPSEN_NEMESIS_OPTIONS_H_
#define JEPSEN_NEMESIS_OPTIONS_H_

#include <vector>

#include "options/option.h"

namespace jepsen::nemesis {

// nemesis, target, nemesis-interval and overlap, then PackageOptions().
std::vector<options::Option> Options();
// The fault packages' own options (Package::options), in registration order.
std::vector<options::Option> PackageOptions();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_OPTIONS_H_
