#include "nemesis/options.h"

#include "nemesis/nemesis.h"
#include "nemesis/packages.h"
#include "nemesis/targets.h"

namespace jepsen::nemesis {

std::vector<options::Option> PackageOptions() {
  std::vector<options::Option> own;
  for (const std::unique_ptr<Package>& p : NewPackages()) {
    for (options::Option& o : p->options()) own.push_back(std::move(o));
  }
  return own;
}

std::vector<options::Option> Options() {
  std::string faults =
      "Faults to inject, comma-separated: none; all: every fault the system can carry out here "
      "but corrupt, overlapping";
  for (const std::unique_ptr<Package>& p : NewPackages()) {
    for (const history::FaultKind& k : p->kinds()) faults += "; " + k.name + ": " + p->Help(k.name);
  }
  std::vector<options::Option> declared = {
      options::Choices("nemesis", {"none"}, NemesisNames(), faults),
      options::Choices("target", {"one"}, TargetNames(),
                       "Whom node faults hit, comma-separated (one picked per fault)"),
      options::Number("nemesis-interval", 5, {0.01, 86400},
                      "Seconds between faults (and each lasts as long)"),
      options::Switch("overlap", false,
                      "on (the default with several faults): every fault of nemesis= on a "
                      "schedule of its own, all at once, so they overlap; off: one fault at a "
                      "time, a random one each cycle"),
  };
  for (options::Option& o : PackageOptions()) declared.push_back(std::move(o));
  return declared;
}

}  // namespace jepsen::nemesis
