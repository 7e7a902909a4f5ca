// Interns JSON values (and sequences of interned ids) to small integers so
// model states are cheap to hash and compare. Private to the models.
#ifndef JEPSEN_CHECKER_LINEARIZABLE_VALUE_TABLE_H_
#define JEPSEN_CHECKER_LINEARIZABLE_VALUE_TABLE_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "history/event.h"

namespace jepsen::checker::linearizable {

using history::Json;

// Equal values get equal ids: numbers compare by value (2 == 2.0), objects
// regardless of key order.
class ValueTable {
 public:
  uint32_t Intern(const Json& value);
  const Json& Get(uint32_t id) const { return values_[id]; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;  // canonical text -> id
  std::vector<Json> values_;
};

// Interns sequences of ids (sets, queues, maps as sorted pairs).
class SequenceTable {
 public:
  uint32_t Intern(const std::vector<uint32_t>& sequence);
  const std::vector<uint32_t>& Get(uint32_t id) const { return *sequences_[id]; }

 private:
  struct Hash {
    size_t operator()(const std::vector<uint32_t>& s) const;
  };
  std::unordered_map<std::vector<uint32_t>, uint32_t, Hash> ids_;
  std::vector<const std::vector<uint32_t>*> sequences_;  // point into ids_' stable keys
};

}  // namespace jepsen::checker::linearizable

#endif  // JEPSEN_CHECKER_LINEARIZABLE_VALUE_TABLE_H_
