#include "checker/linearizable/linearizable.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "checker/describe.h"
#include "checker/linearizable/search.h"
#include "history/json_text.h"

namespace jepsen::checker::linearizable {
namespace {

using history::EventType;
using history::History;

struct Partition {
  Json key;
  std::vector<uint32_t> ops;  // indices into History::ops, failed ones left out (R1)
  std::unique_ptr<Model> model;
  std::vector<SearchOp> search_ops;
  std::optional<Search> search;
  SearchResult result;
  bool searched = false;
};

std::vector<Partition> SplitByKey(const History& history) {
  std::vector<Partition> parts;
  std::map<std::string, size_t> by_key;
  for (uint32_t i = 0; i < history.ops.size(); ++i) {
    const history::Op& op = history.ops[i];
    if (op.outcome == EventType::kFail) continue;  // R1: it did not happen
    const Json& key = history.invocation(op).key;
    auto [it, inserted] = by_key.try_emplace(history::DumpJson(key), parts.size());
    if (inserted) parts.push_back(Partition{key, {}, nullptr, {}, std::nullopt, {}, false});
    parts[it->second].ops.push_back(i);
  }
  return parts;
}

Status Compile(const History& history, const ModelFactory& factory, Partition& part) {
  part.model = factory();
  part.search_ops.reserve(part.ops.size());
  for (uint32_t i : part.ops) {
    const history::Op& op = history.ops[i];
    if (Status s = part.model->Add(history, op); !s.ok()) return s;
    SearchOp search_op;
    search_op.call = history.invocation(op).time;
    if (op.outcome == EventType::kOk) {
      search_op.ret = history.events[op.completion].time;
      search_op.completed = true;
    }
    part.search_ops.push_back(search_op);
  }
  return Status();
}

// Now plus `seconds`, saturated: a limit beyond what the clock can count
// (1e300 s) is no limit, never a deadline wrapped into the past.
std::chrono::steady_clock::time_point DeadlineAfter(double seconds) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point now = Clock::now();
  const std::chrono::duration<double> left = Clock::time_point::max() - now;
  if (!(seconds < left.count() / 2)) return Clock::time_point::max();  // half: no rounding over
  return now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

// Runs the searches on `threads` workers in slices, round robin, so a
// violation that is quick to find is not stuck behind a part that is slow to
// decide; the first violation stops the rest, and so does the deadline (no
// part can finish after it, so none is started or resumed).
void SearchAll(std::vector<Partition>& parts, const Options& options,
               std::chrono::steady_clock::time_point deadline) {
  SearchBudget budget;
  budget.deadline = deadline;
  std::atomic<bool> stop{false};
  std::atomic<size_t> memory_used{0};
  budget.cancel = &stop;
  budget.memory_bytes = options.memory_limit_bytes;
  budget.memory_used = &memory_used;
  unsigned threads =
      options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, static_cast<unsigned>(std::max<size_t>(1, parts.size())));
  Progress* progress = options.progress;
  std::vector<size_t> reported(parts.size());  // each part's share of progress->ops_linearized
  if (progress != nullptr) {
    for (const Partition& part : parts) {
      for (const SearchOp& op : part.search_ops) progress->ops += op.indeterminate() ? 0 : 1;
    }
    progress->parts += parts.size();
  }

  constexpr uint64_t kSlice = 1 << 15;  // steps: a few milliseconds
  std::mutex mutex;
  std::deque<size_t> queue;
  for (size_t i = 0; i < parts.size(); ++i) queue.push_back(i);
  auto work = [&] {
    while (!stop.load()) {
      size_t i;
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (queue.empty()) return;
        i = queue.front();
        queue.pop_front();
      }
      Partition& part = parts[i];
      // Parts too small to reach their own budget check would otherwise all
      // be searched after the deadline.
      if (deadline != std::chrono::steady_clock::time_point::max() &&
          std::chrono::steady_clock::now() > deadline) {
        part.result.outcome = SearchOutcome::kOutOfTime;
        part.search.reset();
        part.searched = true;
        stop = true;
        return;
      }
      if (!part.search) part.search.emplace(*part.model, std::move(part.search_ops), budget);
      const bool over = part.search->Run(kSlice);
      if (progress != nullptr) {
        const size_t now = part.search->linearized();
        progress->ops_linearized += now - reported[i];
        reported[i] = now;
      }
      if (!over) {
        std::lock_guard<std::mutex> lock(mutex);
        queue.push_back(i);
        continue;
      }
      part.result = part.search->result();
      part.search.reset();
      part.searched = true;
      const SearchOutcome outcome = part.result.outcome;
      if (outcome == SearchOutcome::kNotLinearizable || outcome == SearchOutcome::kOutOfTime) {
        stop = true;
      }
      if (progress != nullptr &&
          (outcome == SearchOutcome::kLinearizable || outcome == SearchOutcome::kNotLinearizable)) {
        ++progress->parts_decided;
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

std::string KeyText(const Json& key) {
  return key.is_null() ? "" : " key " + history::DumpJson(key);
}

void Explain(const History& history, const Options& options, const Partition& part,
             CheckResult& out) {
  const SearchResult& r = part.result;
  const uint32_t blocked_op = part.ops[r.blocked_op];
  const history::Op& blocked = history.ops[blocked_op];
  Failure failure;
  failure.key = part.key;
  failure.op = OpRefOf(history, blocked_op);
  failure.state = part.model->Describe(r.state_after_prefix);
  failure.prefix_length = r.longest_prefix.size();
  out.summary = "not linearizable (" + options.model + KeyText(part.key) +
                "): " + OpText(history, blocked) + " cannot be linearized";
  std::string& text = out.explanation;
  text = "model " + options.model + KeyText(part.key) + ", " + std::to_string(part.ops.size()) +
         " ops in this part\n";
  text += "cannot linearize: " + OpText(history, blocked) + "\n";
  text += "longest linearizable prefix: " + std::to_string(r.longest_prefix.size()) +
          " ops, leaving the model in state " + history::DumpJson(failure.state) + "\n";
  constexpr size_t kShown = 10;
  size_t first = r.longest_prefix.size() > kShown ? r.longest_prefix.size() - kShown : 0;
  if (first > 0) text += "  ... " + std::to_string(first) + " earlier ops\n";
  failure.prefix_indices.reserve(r.longest_prefix.size());
  for (size_t j = 0; j < r.longest_prefix.size(); ++j) {
    const uint32_t i = part.ops[r.longest_prefix[j]];
    failure.prefix_indices.push_back(history.invocation(history.ops[i]).index);
    if (j >= first) {
      text += "  " + OpText(history, history.ops[i]) + "\n";
      failure.prefix_tail.push_back(OpRefOf(history, i));
    }
  }
  // Ops whose intervals overlap the blocked one's: the candidates for reordering.
  const int64_t begin = history.invocation(blocked).time;
  const int64_t end = history.completion_time(blocked);
  std::string concurrent_text;
  for (uint32_t i : part.ops) {
    const history::Op& op = history.ops[i];
    if (i == blocked_op) continue;
    if (history.invocation(op).time <= end && history.completion_time(op) >= begin) {
      failure.concurrent.push_back(OpRefOf(history, i));
      if (failure.concurrent.size() <= kShown) concurrent_text += "  " + OpText(history, op) + "\n";
    }
  }
  const size_t concurrent = failure.concurrent.size();
  text += "concurrent with it: " + std::to_string(concurrent) + " ops\n" + concurrent_text;
  if (concurrent > kShown) text += "  ... " + std::to_string(concurrent - kShown) + " more\n";
  out.failure = std::move(failure);
}

}  // namespace

Result<CheckResult> Check(const History& history, const Options& options) {
  auto deadline = std::chrono::steady_clock::time_point::max();
  if (options.time_limit_seconds > 0) deadline = DeadlineAfter(options.time_limit_seconds);
  Result<ModelFactory> factory = FindModel(options.model, options.model_options);
  if (!factory.ok()) return factory.status();
  std::vector<Partition> parts = SplitByKey(history);
  for (Partition& part : parts) {
    if (Status s = Compile(history, *factory, part); !s.ok()) return s;
  }
  SearchAll(parts, options, deadline);

  CheckResult out;
  out.checker = "linearizable";
  size_t ops = 0;
  uint64_t configurations = 0;
  const Partition* failed = nullptr;
  std::string unknown_reason;
  for (const Partition& part : parts) {
    ops += part.ops.size();
    configurations += part.result.configurations;
    if (!part.searched) {  // stopped by a violation or a budget; never valid
      if (unknown_reason.empty()) unknown_reason = "search stopped";
      continue;
    }
    switch (part.result.outcome) {
      case SearchOutcome::kNotLinearizable:
        if (failed == nullptr) failed = &part;  // the first in history order
        break;
      case SearchOutcome::kOutOfTime:
        unknown_reason = "time limit reached";
        break;
      case SearchOutcome::kOutOfMemory:
        unknown_reason = "memory limit reached";
        break;
      default:
        break;
    }
  }
  out.facts = {{"model", options.model},
               {"partitions", parts.size()},
               {"ops", ops},
               {"configurations", configurations}};
  if (failed != nullptr) {
    out.verdict = Verdict::kInvalid;
    Explain(history, options, *failed, out);
  } else if (!unknown_reason.empty()) {
    out.verdict = Verdict::kUnknown;
    out.summary = "unknown: " + unknown_reason + " before the search finished";
    out.reason = unknown_reason;
  } else {
    out.verdict = Verdict::kValid;
    out.summary = "linearizable (" + options.model + ", " + std::to_string(parts.size()) +
                  (parts.size() == 1 ? " part)" : " parts)");
  }
  return out;
}

}  // namespace jepsen::checker::linearizable
