// Dense numbers for a history's keys (strings, integers, null, anything), so
// that checkers built on this module can keep per-key state in vectors.
// Strings and integers are looked up without building their JSON text: on a
// million-op history that text is most of the cost of splitting by key.
#ifndef JEPSEN_CHECKER_GRAPH_KEY_INDEX_H_
#define JEPSEN_CHECKER_GRAPH_KEY_INDEX_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "history/event.h"

namespace jepsen::checker::graph {

class KeyIndex {
 public:
  // The key's number (0, 1, ... in order of first appearance), and whether
  // this call gave it.
  std::pair<uint32_t, bool> Find(const history::Json& key) {
    if (key.is_string()) return Insert(strings_, key.get_ref<const std::string&>());
    if (key.is_number_integer() && !key.is_number_unsigned()) {
      return Insert(integers_, key.get<int64_t>());
    }
    return Insert(others_, key.dump());  // 1 and 1.0 and "1" stay apart
  }
  uint32_t size() const { return next_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class Map, class K>
  std::pair<uint32_t, bool> Insert(Map& map, const K& k) {
    auto it = map.find(k);
    if (it != map.end()) return {it->second, false};
    map.emplace(typename Map::key_type(k), next_);
    return {next_++, true};
  }

  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> strings_;
  std::unordered_map<int64_t, uint32_t> integers_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> others_;
  uint32_t next_ = 0;
};

}  // namespace jepsen::checker::graph

#endif  // JEPSEN_CHECKER_GRAPH_KEY_INDEX_H_
