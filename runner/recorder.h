// Appends a run's events to history.jsonl as they happen (header first), one
// whole line per write(2), so an interrupted run keeps everything recorded.
// It also numbers processes as Jepsen does: thread t starts as process t, and
// after an op that ended `info` it goes on as process old + threads, so the
// thread of process p is p mod threads (the header's options.concurrency).
#ifndef JEPSEN_RUNNER_RECORDER_H_
#define JEPSEN_RUNNER_RECORDER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "checker/faults.h"
#include "history/jsonl.h"

namespace jepsen::runner {

using history::EventType;
using history::Json;

struct Counts {
  std::map<std::string, std::map<std::string, int64_t>> by_f;  // f -> type -> n
  int64_t ok = 0, fail = 0, info = 0;
  // By the header's fault vocabulary (checker::FaultVocabulary): faults that
  // took effect, and faults the nemesis could not carry out.
  int64_t faults = 0, failed_faults = 0;
};

class Recorder {
 public:
  // Faults are counted by the vocabulary of the header's `faults`, else the built-in one.
  static Result<std::unique_ptr<Recorder>> Create(const std::string& path, const Json& header,
                                                  int threads);

  // Records the invoke of an op on `thread` at `time`; returns its process.
  Result<int64_t> Invoke(int thread, const std::string& f, const Json& key, const Json& value,
                         int64_t time);
  // Records the completion of the op in flight on `thread`, which must match
  // its invoke's f and key. An `info` gives the thread a new process.
  Result<history::Event> Complete(int thread, EventType type, const Json& value,
                                  const std::string& error, int64_t time);
  // Records a nemesis action; `error` non-empty: it could not be carried out;
  // `fault`: its fault kind (the event's `fault` tag), "" for none.
  Status Nemesis(const std::string& f, const Json& value, int64_t time, const std::string& error,
                 const std::string& fault = "");

  const Counts& counts() const { return counts_; }
  const std::string& path() const { return path_; }

 private:
  Recorder(std::unique_ptr<history::JsonlWriter> writer, std::string path, int threads,
           checker::FaultVocabulary vocabulary);
  Status Write(history::Event& event);

  std::unique_ptr<history::JsonlWriter> writer_;
  std::string path_;
  std::vector<int64_t> process_;           // by thread
  std::vector<history::Event> in_flight_;  // by thread: its invoke
  int64_t threads_;
  int64_t index_ = 0;
  checker::FaultVocabulary vocabulary_;
  Counts counts_;
};

}  // namespace jepsen::runner

#endif  // JEPSEN_RUNNER_RECORDER_H_
