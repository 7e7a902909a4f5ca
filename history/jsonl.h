// The history format's own encoding: one JSON object per line (JSONL).
#ifndef JEPSEN_HISTORY_JSONL_H_
#define JEPSEN_HISTORY_JSONL_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "history/history.h"

namespace jepsen::history {

class Input;

// Reads a JSONL history file, streaming: memory holds one chunk of the file
// plus the events read so far. Lines end at LF, CR or CRLF. Errors name the
// file, line and field.
//
// A file whose first non-blank byte is '[' is read as one JSON array of event
// objects, as elle-cli writes Jepsen histories (ReadJsonArray).
Result<History> ReadJsonl(const std::string& path);
// The same for text already in memory; `source` names it in messages.
Result<History> ParseJsonl(std::string_view text, const std::string& source);
// The same from an input (see input.h).
Result<History> ReadJsonl(Input& in);

// One JSON array of event objects, streaming one element at a time. Each
// element is read by the same rules as a JSONL line, and events are numbered
// by element ("a.json: element 17" in messages, Event::line 17): elle-cli
// writes the whole array on one line. Jepsen's :time and :index need not be
// ordered: when they are not, events go by position and the given values are
// kept in extra "json_time"/"json_index", with a warning (as for EDN).
Result<History> ReadJsonArray(Input& in);

// Appends events to a history file as they happen. Each line is written whole
// with one write(2), so a run killed at any moment leaves at most a cut-short
// final line, which readers ignore with a warning.
class JsonlWriter {
 public:
  // Creates (truncates) `path`; `exclusive`: fails when it exists (O_EXCL).
  static Result<std::unique_ptr<JsonlWriter>> Create(const std::string& path,
                                                     bool exclusive = false);
  ~JsonlWriter();
  JsonlWriter(const JsonlWriter&) = delete;
  JsonlWriter& operator=(const JsonlWriter&) = delete;

  // REQUIRES: before any event.
  Status WriteHeader(const Json& header);
  Status Write(const Event& event);
  // Makes what was written durable (fsync).
  Status Sync();

 private:
  JsonlWriter(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Status WriteLine(const std::string& line);
  int fd_;
  std::string path_;
};

// One event as a JSONL line (with the trailing newline).
std::string ToJsonLine(const Event& event);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_JSONL_H_
