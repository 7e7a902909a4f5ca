#include "runner/recorder.h"

namespace jepsen::runner {

Result<std::unique_ptr<Recorder>> Recorder::Create(const std::string& path, const Json& header,
                                                   int threads) {
  checker::FaultVocabulary vocabulary = checker::FaultVocabulary::BuiltIn();
  if (header.is_object() && header.contains(history::kFaultKindsKey)) {
    Result<std::vector<history::FaultKind>> kinds =
        history::ParseFaultKinds(header[std::string(history::kFaultKindsKey)]);
    if (!kinds.ok()) return Status::Error(path + ": header field " + kinds.message());
    vocabulary = checker::FaultVocabulary(std::move(kinds).value());
  }
  auto writer = history::JsonlWriter::Create(path, /*exclusive=*/true);  // never another run's
  if (!writer.ok()) return writer.status();
  if (Status s = (*writer)->WriteHeader(header); !s.ok()) return s;
  return std::unique_ptr<Recorder>(
      new Recorder(std::move(writer).value(), path, threads, std::move(vocabulary)));
}

Recorder::Recorder(std::unique_ptr<history::JsonlWriter> writer, std::string path, int threads,
                   checker::FaultVocabulary vocabulary)
    : writer_(std::move(writer)),
      path_(std::move(path)),
      process_(threads),
      in_flight_(threads),
      threads_(threads),
      vocabulary_(std::move(vocabulary)) {
  for (int t = 0; t < threads; ++t) process_[t] = t;
}

Status Recorder::Write(history::Event& event) {
  event.index = index_++;
  return writer_->Write(event);
}

Result<int64_t> Recorder::Invoke(int thread, const std::string& f, const Json& key,
                                 const Json& value, int64_t time) {
  history::Event& e = in_flight_[thread];
  e = history::Event{};
  e.type = EventType::kInvoke;
  e.process = process_[thread];
  e.f = f;
  e.key = key;
  e.value = value;
  e.time = time;
  if (Status s = Write(e); !s.ok()) return s;
  return e.process;
}

Result<history::Event> Recorder::Complete(int thread, EventType type, const Json& value,
                                          const std::string& error, int64_t time) {
  history::Event e = in_flight_[thread];
  e.type = type;
  e.time = time;
  e.error = error;
  // Reads report what they saw; other ops keep their invocation's value.
  if (!value.is_null() || e.f == "read") e.value = value;
  if (Status s = Write(e); !s.ok()) return s;
  std::string name(history::ToString(type));
  ++counts_.by_f[e.f][name];
  if (type == EventType::kOk) ++counts_.ok;
  if (type == EventType::kFail) ++counts_.fail;
  if (type == EventType::kInfo) {
    ++counts_.info;
    // The old process may still act; never reuse it. As Jepsen numbers them: thread t runs
    // processes t, t + threads, t + 2 threads, ... (thread = process mod threads).
    process_[thread] += threads_;
  }
  return e;
}

Status Recorder::Nemesis(const std::string& f, const Json& value, int64_t time,
                         const std::string& error, const std::string& fault) {
  history::Event e;
  e.type = EventType::kInfo;
  e.process = history::kNemesis;
  e.f = f;
  e.value = value;
  e.time = time;
  e.error = error;
  if (!fault.empty()) e.extra = Json::object({{std::string(history::kFaultTagKey), fault}});
  if (vocabulary_.IsFault(e)) ++counts_.faults;
  if (vocabulary_.IsFailedFault(e)) ++counts_.failed_faults;
  return Write(e);
}

}  // namespace jepsen::runner
