#include "workloads/common.h"

#include <map>
#include <memory>
#include <vector>

namespace jepsen::workloads {
namespace {

using generator::Context;
using history::Json;

class FinalReads : public generator::Generator {
 public:
  FinalReads(const char* prefix, int keys, bool named) : prefix_(prefix), named_(named) {
    for (int i = 0; i < keys; ++i) todo_.push_back(i);
  }

  generator::Step Next(const Context& ctx) override {
    if (todo_.empty()) {
      return pending_.empty() ? generator::Step::Exhausted() : generator::Step::Pending();
    }
    if (ctx.now() < not_before_) return generator::Step::Pending(not_before_);
    std::optional<generator::Thread> thread = ctx.FreeThread();
    if (!thread) return generator::Step::Pending();
    int key = todo_.front();
    todo_.erase(todo_.begin());
    pending_[*thread] = key;
    return generator::Step::Invoke(
        *thread, generator::Op{"read", named_ ? Json(KeyName(prefix_, key)) : Json(key), nullptr});
  }

  void Update(const Context& ctx, generator::Thread thread, const history::Event& done) override {
    auto it = pending_.find(thread);
    if (it == pending_.end()) return;
    if (done.type != history::EventType::kOk && ++attempts_ < kMaxAttempts) {
      todo_.push_back(it->second);
      not_before_ = ctx.now() + kRetryDelayNs;
    }
    pending_.erase(it);
  }

  std::unique_ptr<Generator> Clone() const override { return std::make_unique<FinalReads>(*this); }

 private:
  static constexpr int kMaxAttempts = 100;
  static constexpr generator::Nanos kRetryDelayNs = 200'000'000;
  const char* prefix_;
  bool named_;
  std::vector<int> todo_;
  std::map<generator::Thread, int> pending_;
  int attempts_ = 0;
  generator::Nanos not_before_ = 0;
};

}  // namespace

options::Option KeysOption(const std::string& what) {
  return options::Integer("keys", 3, {1, 100000}, what);
}

std::string KeyName(const char* prefix, uint64_t i) { return prefix + std::to_string(i); }

generator::GenPtr ReadEach(const char* prefix, int keys, bool named) {
  return std::make_unique<FinalReads>(prefix, keys, named);
}

}  // namespace jepsen::workloads
