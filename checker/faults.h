// Which nemesis events are faults, what ends them, and how reports name and
// shade them: the one definition that the stats check, jepsen-run's counts
// and the report's fault periods all use. It is read from the history itself
// (the header's `faults`, which jepsen-run writes from the fault packages it
// ran, and each event's `fault` tag), so a new fault package needs no change
// here; histories from elsewhere (Jepsen's EDN, older runs) get the built-in
// vocabulary.
#ifndef JEPSEN_CHECKER_FAULTS_H_
#define JEPSEN_CHECKER_FAULTS_H_

#include <string_view>
#include <vector>

#include "history/event.h"
#include "history/fault_kinds.h"
#include "history/history.h"

namespace jepsen::checker {

class FaultVocabulary {
 public:
  explicit FaultVocabulary(std::vector<history::FaultKind> kinds) : kinds_(std::move(kinds)) {}
  // For histories without `faults`: kill .. start/restart, pause .. resume,
  // partition .. stop, Jepsen's partitioner start .. stop (not counted: a
  // "start" also ends kills), Jepsen's clock faults (clock, bump, strobe,
  // clock-bump) .. reset (reset, clock-reset, reset-clock).
  static const FaultVocabulary& BuiltIn();
  // The history's own vocabulary (its header's `faults`), else the built-in one.
  static FaultVocabulary Of(const history::History& history);

  // The kind `event` begins, or nullptr: the kind its `fault` tag names when
  // that kind begins with its f, else the first kind (a header's: in name
  // order) beginning with its f.
  const history::FaultKind* Begun(const history::Event& event) const;
  // Whether `event` ends faults of `kind`: a tagged event only its own kind's
  // (when its f is among that kind's ends); an untagged one every kind whose
  // ends hold its f, and every kind at all when it is the final heal.
  bool Ends(const history::Event& event, const history::FaultKind& kind) const;
  // Whether `event` ends faults of some kind.
  bool IsEnd(const history::Event& event) const;
  // A nemesis event beginning a kind that counts, carrying no `error`.
  bool IsFault(const history::Event& event) const;
  // Likewise, with an `error`: a fault the nemesis could not carry out.
  bool IsFailedFault(const history::Event& event) const;

  const std::vector<history::FaultKind>& kinds() const { return kinds_; }

 private:
  const history::FaultKind* Tagged(const history::Event& event) const;

  std::vector<history::FaultKind> kinds_;
};

// The built-in vocabulary's answers, for an f or an event on its own.
bool BeginsFault(std::string_view f);
bool IsFault(const history::Event& event);
bool IsFailedFault(const history::Event& event);

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_FAULTS_H_
