#include "checker/linearizable/search.h"

#include <algorithm>
#include <chrono>
#include <tuple>
#include <utility>

namespace jepsen::checker::linearizable {
namespace {

uint64_t SplitMix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

struct Fingerprint {
  uint64_t a = 0, b = 0;
};

// Whether a table may grow (a rehash or copy of all of it, which cannot be
// interrupted) before the search's deadline: not when the speed of its last
// grow says it would end past it. A refused grow puts the search out of time.
class GrowClock {
 public:
  explicit GrowClock(std::chrono::steady_clock::time_point deadline) : deadline_(deadline) {}
  // `seconds_per_byte`: of the table's last grow (0 for none yet).
  bool Allows(size_t bytes, double seconds_per_byte) {
    if (deadline_ == std::chrono::steady_clock::time_point::max()) return true;
    // Twice the estimate: bigger tables miss the cache more, and the machine may be loaded.
    const auto estimate = std::chrono::duration<double>(2 * seconds_per_byte * bytes);
    if (std::chrono::steady_clock::now() + estimate <= deadline_) return true;
    refused_ = true;
    return false;
  }
  bool refused() const { return refused_; }

 private:
  std::chrono::steady_clock::time_point deadline_;
  bool refused_ = false;
};

// Runs `grow`, which makes a table of `bytes`; returns the seconds per byte it took.
template <typename F>
double TimedGrow(size_t bytes, F grow) {
  const auto start = std::chrono::steady_clock::now();
  grow();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
         static_cast<double>(bytes);
}

// Open addressing on 128-bit fingerprints, at most half full (3/4 once a
// grow was refused); an all-zero key marks an empty slot. `Slot` holds
// `Fingerprint key` and a payload, zero when inserted.
template <typename Slot>
class FingerprintTable {
 public:
  explicit FingerprintTable(GrowClock* clock = nullptr) : slots_(1 << 10), clock_(clock) {}
  // The slot of `f`, and whether it was inserted now.
  std::pair<Slot*, bool> Emplace(Fingerprint f) {
    if (f.a == 0 && f.b == 0) f.b = 1;
    if (size_ + 1 > limit_) MaybeGrow();
    size_t mask = slots_.size() - 1;
    for (size_t i = f.a & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.key.a == 0 && s.key.b == 0) {
        s.key = f;
        ++size_;
        return {&s, true};
      }
      if (s.key.a == f.a && s.key.b == f.b) return {&s, false};
    }
  }
  size_t size() const { return size_; }
  size_t bytes() const { return slots_.size() * sizeof(Slot); }

 private:
  void MaybeGrow() {
    const size_t grown = slots_.size() * 2;
    const bool full = size_ + 1 > slots_.size() / 4 * 3;
    if (!full && clock_ != nullptr && !clock_->Allows(grown * sizeof(Slot), seconds_per_byte_)) {
      limit_ = slots_.size() / 4 * 3;  // room for the steps until the search stops
      return;
    }
    seconds_per_byte_ = TimedGrow(grown * sizeof(Slot), [&] {
      std::vector<Slot> old(grown);
      old.swap(slots_);
      size_t mask = slots_.size() - 1;
      for (const Slot& s : old) {
        if (s.key.a == 0 && s.key.b == 0) continue;
        size_t i = s.key.a & mask;
        while (slots_[i].key.a != 0 || slots_[i].key.b != 0) i = (i + 1) & mask;
        slots_[i] = s;
      }
    });
    limit_ = slots_.size() / 2;
  }
  std::vector<Slot> slots_;
  size_t size_ = 0;
  size_t limit_ = slots_.size() / 2;  // grow before passing this size
  GrowClock* clock_;
  double seconds_per_byte_ = 0;  // of the last grow
};

struct MemoSlot {
  Fingerprint key;
};

// R8: configurations with the same determinate ops linearized and the same
// state, kept with how many indeterminate ops of each effect class they used.
// One that used at least as many of every class as one seen before is
// dominated: anything it can still do, the earlier one could too (it has all
// the same ops and more indeterminate ones left), so it is explored there or
// refuted there. Flat: a table of chain heads and a pool of fixed-size
// entries, so dropping millions of them is a few frees, not millions.
class Dominance {
 public:
  explicit Dominance(GrowClock* clock = nullptr) : heads_(clock), clock_(clock) {}
  // False when `used` (with one more of class `bumped`, if >= 0) is dominated.
  bool Insert(Fingerprint key, const std::vector<uint32_t>& used, int64_t bumped) {
    const size_t width = used.size();
    const size_t stride = width + 1;  // an entry: its chain link, then its counts
    auto mine = [&](size_t c) { return used[c] + (static_cast<int64_t>(c) == bumped ? 1 : 0); };
    auto [slot, inserted] = heads_.Emplace(key);
    if (inserted) slot->head = kNone;
    // Seen before with no more of any class: dominated.
    for (uint32_t e = slot->head; e != kNone; e = pool_[e * stride]) {
      const uint32_t* other = &pool_[e * stride + 1];
      size_t c = 0;
      while (c < width && other[c] <= mine(c)) ++c;
      if (c == width) return false;
    }
    // Keep only an antichain: drop what the new one dominates.
    for (uint32_t* link = &slot->head; *link != kNone;) {
      const uint32_t e = *link;
      const uint32_t* other = &pool_[e * stride + 1];
      size_t c = 0;
      while (c < width && mine(c) <= other[c]) ++c;
      if (c < width) {
        link = &pool_[e * stride];
        continue;
      }
      *link = pool_[e * stride];
      pool_[e * stride] = free_;
      free_ = e;
    }
    uint32_t e = free_;
    if (e != kNone) {
      free_ = pool_[e * stride];
    } else {
      // Not keeping it is sound (it only prunes less): so when out of entry
      // numbers, or of time to grow the pool.
      if (pool_.size() / stride >= kNone || !Reserve(stride)) return true;
      e = static_cast<uint32_t>(pool_.size() / stride);
      pool_.resize(pool_.size() + stride);
    }
    for (size_t c = 0; c < width; ++c) pool_[e * stride + 1 + c] = mine(c);
    pool_[e * stride] = slot->head;
    slot->head = e;
    return true;
  }
  size_t bytes() const { return heads_.bytes() + pool_.capacity() * sizeof(uint32_t); }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct HeadSlot {
    Fingerprint key;
    uint32_t head;  // the chain's first entry, kNone for none
  };
  // Room for `more` elements, doubling the pool when the clock allows.
  bool Reserve(size_t more) {
    if (pool_.size() + more <= pool_.capacity()) return true;
    const size_t grown = std::max<size_t>(2 * pool_.capacity(), 1024 * more);
    const size_t bytes = grown * sizeof(uint32_t);
    if (clock_ != nullptr && !clock_->Allows(bytes, seconds_per_byte_)) return false;
    seconds_per_byte_ = TimedGrow(bytes, [&] { pool_.reserve(grown); });
    return true;
  }
  FingerprintTable<HeadSlot> heads_;
  std::vector<uint32_t> pool_;  // entries, `stride` elements each
  uint32_t free_ = kNone;       // entries dropped from antichains, for reuse
  GrowClock* clock_;
  double seconds_per_byte_ = 0;  // of the pool's last grow
};

// Wing & Gong's list of call and return entries in time order; linearizing an
// op lifts its entries out, backtracking puts them back.
struct Node {
  int32_t prev = -1, next = -1;
  uint32_t op = 0;
  bool is_return = false;
  int32_t match = -1;  // a call's return entry; -1 for indeterminate ops
};

class Searcher {
 public:
  Searcher(Model& model, std::vector<SearchOp> ops, const SearchBudget& budget)
      : model_(model),
        ops_(std::move(ops)),
        budget_(budget),
        grow_clock_(budget.deadline),
        memo_(&grow_clock_),
        dominance_(&grow_clock_) {}

  // Runs up to `steps` steps; true when the search is over.
  bool Run(uint64_t steps);
  const SearchResult& result() const { return result_; }
  uint64_t configurations() const { return done_ ? result_.configurations : memo_.size(); }
  size_t linearized() const { return best_required_; }

 private:
  // Candidates are tried in phases: a legal read first (R4), then determinate
  // ops, then indeterminate ones (they are optional, so they come last).
  enum Phase : uint8_t { kReads, kDeterminate, kIndeterminate };
  struct Frame {
    int32_t node;
    Model::State prev_state;
    Phase phase;
  };

  void Build();
  void Lift(int32_t call) {
    Node& c = nodes_[call];
    nodes_[c.prev].next = c.next;
    if (c.next >= 0) nodes_[c.next].prev = c.prev;
    if (c.match >= 0) {
      Node& r = nodes_[c.match];
      nodes_[r.prev].next = r.next;
      if (r.next >= 0) nodes_[r.next].prev = r.prev;
    }
  }
  void Unlift(int32_t call) {
    Node& c = nodes_[call];
    if (c.match >= 0) {
      Node& r = nodes_[c.match];
      nodes_[r.prev].next = c.match;
      if (r.next >= 0) nodes_[r.next].prev = c.match;
    }
    nodes_[c.prev].next = call;
    if (c.next >= 0) nodes_[c.next].prev = call;
  }
  Fingerprint Key(uint32_t op, Model::State state) const {
    return {set_a_ ^ za_[op] ^ SplitMix(state ^ 0x5851F42D4C957F2Dull),
            set_b_ ^ zb_[op] ^ SplitMix(state + 0x14057B7EF767814Full)};
  }
  // Whether the configuration after linearizing `op` into `next` is new and
  // not dominated (R8); records it either way.
  bool Visit(uint32_t op, Model::State next) {
    if (!memo_.Emplace(Key(op, next)).second) return false;
    if (class_used_.empty()) return true;
    const bool indeterminate = ops_[op].indeterminate();
    Fingerprint det{
        det_a_ ^ (indeterminate ? 0 : za_[op]) ^ SplitMix(next ^ 0x2545F4914F6CDD1Dull),
        det_b_ ^ (indeterminate ? 0 : zb_[op]) ^ SplitMix(next + 0x9E3779B97F4A7C15ull)};
    return dominance_.Insert(det, class_used_,
                             indeterminate ? static_cast<int64_t>(effect_class_[op]) : -1);
  }
  // Finishes the search when it is decided, over its budget or out of time; true then.
  bool Stopped();
  // What a scan for the next op to linearize found.
  enum Found : uint8_t { kNothing, kPushed, kDeadEnd };
  // R4: linearizes the first legal determinate read, if any; a read that can
  // never be linearized, or whose configuration was seen, is a dead end.
  Found PushRead();
  // Linearizes the first op of `phase` (determinate or indeterminate updates)
  // from `resume` on; false when none can be.
  bool PushUpdate(Phase phase, int32_t resume);
  // For the explanation: the op whose return blocks the best configuration.
  void NoteBlocked();
  void Push(int32_t node, Model::State next_state, Phase phase);
  // Returns false when the search is over (nothing left to backtrack).
  bool Pop(Phase& phase, int32_t& resume);
  void RecordProgress();
  bool OverBudget(SearchResult& result);
  void Finish(SearchOutcome outcome);

  Model& model_;
  const std::vector<SearchOp> ops_;
  const SearchBudget budget_;
  SearchResult result_;
  bool started_ = false;
  bool done_ = false;
  Phase phase_ = kReads;
  int32_t resume_ = -1;  // where the candidate scan continues after a backtrack
  uint64_t steps_ = 0;
  size_t reported_bytes_ = 0;  // what this search added to budget_.memory_used

  std::vector<Node> nodes_;  // nodes_[0] is the head sentinel
  std::vector<uint64_t> za_, zb_;
  std::vector<uint8_t> read_only_;
  std::vector<uint8_t> linearized_;  // by op
  std::vector<uint32_t> effect_class_, rank_in_class_, class_used_;
  GrowClock grow_clock_;
  FingerprintTable<MemoSlot> memo_;
  Dominance dominance_;
  std::vector<Frame> stack_;
  Model::State state_ = 0;
  uint64_t set_a_ = 0, set_b_ = 0;
  uint64_t det_a_ = 0, det_b_ = 0;  // the same, of the determinate ops only
  size_t required_left_ = 0;
  size_t required_done_ = 0;

  // The longest linearization seen, for the explanation.
  std::vector<uint32_t> best_;
  size_t best_common_ = 0;  // how much of best_ the stack still shares
  size_t best_required_ = 0;
  Model::State best_state_ = 0;
  size_t best_depth_ = 0;  // stack depth of the best configuration
  bool at_best_ = true;    // no pop below best_depth_ since it was recorded
  uint32_t blocked_ = UINT32_MAX;
};

void Searcher::Build() {
  const size_t n = ops_.size();
  za_.resize(n);
  zb_.resize(n);
  read_only_.resize(n);
  linearized_.assign(n, 0);
  effect_class_.assign(n, 0);
  rank_in_class_.assign(n, 0);
  std::vector<std::tuple<int64_t, int, uint32_t>> events;  // (time, call=0/return=1, op)
  std::vector<std::pair<uint64_t, uint32_t>> effects;      // indeterminate ops by effect
  for (uint32_t i = 0; i < n; ++i) {
    za_[i] = SplitMix(2 * i + 1);
    zb_[i] = SplitMix(~(2 * static_cast<uint64_t>(i)));
    read_only_[i] = model_.ReadOnly(i);
    if (ops_[i].indeterminate()) {
      if (read_only_[i]) continue;  // R2
      effects.emplace_back(model_.EffectKey(i), i);
    } else {
      events.emplace_back(ops_[i].ret, 1, i);
      ++required_left_;
    }
    events.emplace_back(ops_[i].call, 0, i);
  }
  // R5: number each effect class; ops keep their invocation order within it.
  std::sort(effects.begin(), effects.end());
  uint32_t cls = 0;
  for (size_t j = 0; j < effects.size(); ++j) {
    if (j > 0 && effects[j].first != effects[j - 1].first) ++cls;
    effect_class_[effects[j].second] = cls;
  }
  class_used_.assign(effects.empty() ? 0 : cls + 1, 0);
  {
    std::vector<std::pair<int64_t, uint32_t>> by_call;  // within a class, rank by call order
    for (auto [key, op] : effects) by_call.emplace_back(ops_[op].call, op);
    std::vector<uint32_t> next_rank(class_used_.size(), 0);
    std::sort(by_call.begin(), by_call.end());
    for (auto [call, op] : by_call) rank_in_class_[op] = next_rank[effect_class_[op]]++;
  }
  // Ties: calls before returns, so ops that touch are concurrent.
  std::sort(events.begin(), events.end());
  nodes_.resize(events.size() + 1);
  std::vector<int32_t> call_node(n, -1);
  for (size_t j = 0; j < events.size(); ++j) {
    const auto& [time, kind, op] = events[j];
    int32_t id = static_cast<int32_t>(j + 1);
    Node& node = nodes_[id];
    node.op = op;
    node.is_return = kind == 1;
    node.prev = id - 1;
    node.next = j + 1 < events.size() ? id + 1 : -1;
    if (node.is_return) {
      nodes_[call_node[op]].match = id;
    } else {
      call_node[op] = id;
    }
  }
  nodes_[0].next = events.empty() ? -1 : 1;
}

void Searcher::Push(int32_t node, Model::State next_state, Phase phase) {
  uint32_t op = nodes_[node].op;
  stack_.push_back({node, state_, phase});
  Lift(node);
  linearized_[op] = 1;
  state_ = next_state;
  set_a_ ^= za_[op];
  set_b_ ^= zb_[op];
  if (ops_[op].indeterminate()) {
    ++class_used_[effect_class_[op]];
  } else {
    det_a_ ^= za_[op];
    det_b_ ^= zb_[op];
    --required_left_;
    ++required_done_;
    if (required_done_ > best_required_) RecordProgress();
  }
}

bool Searcher::Pop(Phase& phase, int32_t& resume) {
  while (!stack_.empty()) {
    Frame frame = stack_.back();
    stack_.pop_back();
    uint32_t op = nodes_[frame.node].op;
    Unlift(frame.node);
    linearized_[op] = 0;
    state_ = frame.prev_state;
    set_a_ ^= za_[op];
    set_b_ ^= zb_[op];
    if (ops_[op].indeterminate()) {
      --class_used_[effect_class_[op]];
    } else {
      det_a_ ^= za_[op];
      det_b_ ^= zb_[op];
      ++required_left_;
      --required_done_;
    }
    if (stack_.size() < best_depth_) at_best_ = false;
    best_common_ = std::min(best_common_, stack_.size());
    // R4: a greedy read was the only child of its node; that node failed too.
    if (frame.phase == kReads) continue;
    phase = frame.phase;
    resume = nodes_[frame.node].next;
    return true;
  }
  return false;
}

void Searcher::RecordProgress() {
  best_.resize(best_common_);
  for (size_t j = best_common_; j < stack_.size(); ++j) best_.push_back(nodes_[stack_[j].node].op);
  best_common_ = stack_.size();
  best_required_ = required_done_;
  best_state_ = state_;
  best_depth_ = stack_.size();
  at_best_ = true;
  blocked_ = UINT32_MAX;
}

bool Searcher::OverBudget(SearchResult& result) {
  if (budget_.cancel != nullptr && budget_.cancel->load(std::memory_order_relaxed)) {
    result.outcome = SearchOutcome::kCancelled;
    return true;
  }
  if (std::chrono::steady_clock::now() > budget_.deadline) {
    result.outcome = SearchOutcome::kOutOfTime;
    return true;
  }
  size_t bytes = memo_.bytes() + dominance_.bytes() + stack_.capacity() * sizeof(Frame);
  result.memory_bytes = std::max(result.memory_bytes, bytes);
  size_t total = bytes;
  if (budget_.memory_used != nullptr) {
    total = budget_.memory_used->fetch_add(bytes - reported_bytes_) + bytes - reported_bytes_;
    reported_bytes_ = bytes;
  }
  if (budget_.memory_bytes != 0 && total > budget_.memory_bytes) {
    result.outcome = SearchOutcome::kOutOfMemory;
    return true;
  }
  return false;
}

inline bool Searcher::Stopped() {
  if (required_left_ == 0) {
    Finish(SearchOutcome::kLinearizable);
    return true;
  }
  if ((++steps_ & 1023) == 0 && OverBudget(result_)) {
    Finish(result_.outcome);
    return true;
  }
  if (grow_clock_.refused()) {  // a table could not grow in the time left
    Finish(SearchOutcome::kOutOfTime);
    return true;
  }
  return false;
}

inline Searcher::Found Searcher::PushRead() {
  for (int32_t n = nodes_[0].next; n >= 0 && !nodes_[n].is_return; n = nodes_[n].next) {
    uint32_t op = nodes_[n].op;
    if (!read_only_[op] || ops_[op].indeterminate()) continue;
    if (!model_.Step(state_, op)) {
      // R7: a read that must still be linearized but never can be.
      if (model_.Unreachable(state_, op, linearized_)) return kDeadEnd;
      continue;
    }
    if (!Visit(op, state_)) return kDeadEnd;  // R4: this node stands or falls with that read
    Push(n, state_, kReads);
    return kPushed;
  }
  return kNothing;
}

inline bool Searcher::PushUpdate(Phase phase, int32_t resume) {
  for (int32_t n = resume; n >= 0 && !nodes_[n].is_return; n = nodes_[n].next) {
    uint32_t op = nodes_[n].op;
    bool indeterminate = ops_[op].indeterminate();
    if (indeterminate != (phase == kIndeterminate)) continue;
    if (read_only_[op]) continue;  // determinate reads were tried in kReads
    // R5: only the earliest invoked indeterminate op of each effect class.
    if (indeterminate && rank_in_class_[op] != class_used_[effect_class_[op]]) continue;
    std::optional<Model::State> next = model_.Step(state_, op);
    if (!next) continue;
    if (indeterminate && *next == state_) continue;  // R6
    if (!Visit(op, *next)) continue;
    Push(n, *next, phase);
    return true;
  }
  return false;
}

inline void Searcher::NoteBlocked() {
  for (int32_t n = nodes_[0].next; n >= 0; n = nodes_[n].next) {
    if (nodes_[n].is_return) {
      blocked_ = nodes_[n].op;
      return;
    }
  }
}

bool Searcher::Run(uint64_t max_steps) {
  if (done_) return true;
  if (!started_) {
    started_ = true;
    Build();
    state_ = model_.Initial();
    best_state_ = state_;
  }
  Phase& phase = phase_;
  int32_t& resume = resume_;
  for (uint64_t slice = 0; slice < max_steps; ++slice) {
    if (Stopped()) return true;
    Found found = kNothing;
    if (phase == kReads) {
      found = PushRead();
      if (found == kNothing) {
        phase = kDeterminate;
        resume = nodes_[0].next;
      }
    }
    if (found == kNothing) {
      if (PushUpdate(phase, resume)) {
        found = kPushed;
      } else if (phase == kDeterminate) {
        phase = kIndeterminate;
        resume = nodes_[0].next;
        continue;
      }
    }
    if (found == kPushed) {
      phase = kReads;
      continue;
    }
    // This configuration has no way forward.
    if (at_best_ && stack_.size() == best_depth_ && blocked_ == UINT32_MAX) NoteBlocked();
    if (!Pop(phase, resume)) {
      Finish(SearchOutcome::kNotLinearizable);
      return true;
    }
  }
  return false;
}

void Searcher::Finish(SearchOutcome outcome) {
  done_ = true;
  result_.outcome = outcome;
  result_.configurations = memo_.size();
  result_.memory_bytes = std::max(
      result_.memory_bytes, memo_.bytes() + dominance_.bytes() + stack_.capacity() * sizeof(Frame));
  if (outcome == SearchOutcome::kNotLinearizable) {
    result_.longest_prefix = best_;
    result_.state_after_prefix = best_state_;
    result_.blocked_op = blocked_;
  }
  // The tables are no longer needed; many finished parts may wait for the last.
  if (budget_.memory_used != nullptr) budget_.memory_used->fetch_sub(reported_bytes_);
  reported_bytes_ = 0;
  memo_ = FingerprintTable<MemoSlot>();
  dominance_ = Dominance();
  nodes_ = {};
  stack_ = {};
}

}  // namespace

struct Search::Impl {
  Impl(Model& model, std::vector<SearchOp> ops, const SearchBudget& budget)
      : searcher(model, std::move(ops), budget) {}
  Searcher searcher;
};

Search::Search(Model& model, std::vector<SearchOp> ops, const SearchBudget& budget)
    : impl_(std::make_unique<Impl>(model, std::move(ops), budget)) {}
Search::~Search() = default;
Search::Search(Search&&) noexcept = default;
Search& Search::operator=(Search&&) noexcept = default;
bool Search::Run(uint64_t steps) { return impl_->searcher.Run(steps); }
const SearchResult& Search::result() const { return impl_->searcher.result(); }
uint64_t Search::configurations() const { return impl_->searcher.configurations(); }
size_t Search::linearized() const { return impl_->searcher.linearized(); }

}  // namespace jepsen::checker::linearizable
