#include "nemesis/options.h"

#include "nemesis/nemesis.h"

namespace jepsen::nemesis {

std::vector<options::Option> Options() {
  return {
      options::Choices("nemesis", {"none"}, NemesisNames(),
                       "Faults to inject: kill, pause, partition (network namespaces; root) or "
                       "client-pause (a client frozen past its lease); several combine, one "
                       "fault at a time"),
      options::Choices("target", {"one"}, TargetNames(),
                       "Whom node faults hit (one of those listed, picked per fault)"),
      options::Number("nemesis-interval", 5, {0.01, 86400},
                      "Seconds between faults (and each lasts as long)"),
  };
}

}  // namespace jepsen::nemesis
