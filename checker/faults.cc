#include "checker/faults.h"

#include <algorithm>

namespace jepsen::checker {
namespace {

using history::FaultKind;

bool Holds(const std::vector<std::string>& fs, std::string_view f) {
  return std::find(fs.begin(), fs.end(), f) != fs.end();
}

}  // namespace

const FaultVocabulary& FaultVocabulary::BuiltIn() {
  static const FaultVocabulary kBuiltIn({
      {"kill", "process", {"kill"}, {"start", "restart"}, true, "node killed", "#f0a8a8"},
      {"pause", "process", {"pause"}, {"resume"}, true, "node paused", "#f3cf8c"},
      {"partition", "network", {"partition"}, {"stop"}, true, "network partitioned", "#a9c3ef"},
      {"start", "network", {"start"}, {"stop"}, false, "network partitioned (Jepsen)", "#a9c3ef"},
      {"clock",
       "clock",
       {"clock", "bump", "strobe", "clock-bump"},
       {"reset", "clock-reset", "reset-clock"},
       true,
       "clock changed",
       "#cdb5ef"},
  });
  return kBuiltIn;
}

FaultVocabulary FaultVocabulary::Of(const history::History& history) {
  return history.fault_kinds ? FaultVocabulary(*history.fault_kinds) : BuiltIn();
}

const FaultKind* FaultVocabulary::Tagged(const history::Event& event) const {
  const std::string_view tag = history::FaultTag(event);
  if (tag.empty()) return nullptr;
  for (const FaultKind& k : kinds_) {
    if (k.name == tag) return &k;
  }
  return nullptr;  // a kind the header does not name: read as untagged
}

const FaultKind* FaultVocabulary::Begun(const history::Event& event) const {
  if (!event.is_nemesis()) return nullptr;
  if (const FaultKind* k = Tagged(event)) return Holds(k->begins, event.f) ? k : nullptr;
  for (const FaultKind& k : kinds_) {
    if (Holds(k.begins, event.f)) return &k;
  }
  return nullptr;
}

bool FaultVocabulary::Ends(const history::Event& event, const FaultKind& kind) const {
  if (!event.is_nemesis()) return false;
  if (const FaultKind* k = Tagged(event)) return k->name == kind.name && Holds(k->ends, event.f);
  return event.f == history::kHealAll || Holds(kind.ends, event.f);
}

bool FaultVocabulary::IsEnd(const history::Event& event) const {
  if (!event.is_nemesis()) return false;
  if (const FaultKind* k = Tagged(event)) return Holds(k->ends, event.f);
  if (event.f == history::kHealAll) return true;
  return std::any_of(kinds_.begin(), kinds_.end(),
                     [&](const FaultKind& k) { return Holds(k.ends, event.f); });
}

bool FaultVocabulary::IsFault(const history::Event& event) const {
  const FaultKind* k = Begun(event);
  return k != nullptr && k->counts && event.error.empty();
}

bool FaultVocabulary::IsFailedFault(const history::Event& event) const {
  const FaultKind* k = Begun(event);
  return k != nullptr && k->counts && !event.error.empty();
}

bool BeginsFault(std::string_view f) {
  const auto& kinds = FaultVocabulary::BuiltIn().kinds();
  return std::any_of(kinds.begin(), kinds.end(),
                     [&](const FaultKind& k) { return k.counts && Holds(k.begins, f); });
}

bool IsFault(const history::Event& event) { return FaultVocabulary::BuiltIn().IsFault(event); }

bool IsFailedFault(const history::Event& event) {
  return FaultVocabulary::BuiltIn().IsFailedFault(event);
}

}  // namespace jepsen::checker
