// The registry of fault packages (package.h): every family, one line each in
// packages.cc. Everything that lists faults (nemesis= and its help, the
// checks before a run, the history header's vocabulary) reads it from here.
#ifndef JEPSEN_NEMESIS_PACKAGES_H_
#define JEPSEN_NEMESIS_PACKAGES_H_

#include <memory>
#include <vector>

#include "nemesis/package.h"

namespace jepsen::nemesis {

// A fresh instance of every package, in registration order.
std::vector<std::unique_ptr<Package>> NewPackages();

}  // namespace jepsen::nemesis

#endif  // JEPSEN_NEMESIS_PACKAGES_H_
