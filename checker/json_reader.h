// The reading half of the result codecs (FromJson): an object's fields read
// with their types checked, the first one that is wrong named by its path
// ("details.failure.op.invoke.time: expected an integer, got \"x\""), so that a
// damaged results.json is an error, never a result guessed at. Private to
// checker/.
#ifndef JEPSEN_CHECKER_JSON_READER_H_
#define JEPSEN_CHECKER_JSON_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "history/event.h"
#include "history/status.h"

namespace jepsen::checker {

class JsonReader {
 public:
  // `path` names `json` in messages; `json` must be an object (else status() says so).
  JsonReader(const history::Json& json, std::string path);

  // The first error met, or OK.
  const Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }

  // Required fields: absent or of another type is an error. After an error,
  // reads do nothing.
  void Read(const char* name, int64_t& out);
  void Read(const char* name, uint32_t& out);
  void Read(const char* name, size_t& out);
  void Read(const char* name, bool& out);
  void Read(const char* name, std::string& out);
  // Any JSON value; absent reads as null.
  void Read(const char* name, history::Json& out);
  // Absent leaves `out` empty.
  template <typename T>
  void ReadOptional(const char* name, std::optional<T>& out) {
    if (!ok() || Find(name) == nullptr) return;
    T value{};
    Read(name, value);
    if (ok()) out = std::move(value);
  }
  // An object read by `from`, which is given the object and its path.
  template <typename T>
  void ReadObject(const char* name, T& out,
                  Result<T> (*from)(const history::Json&, const std::string&)) {
    const history::Json* field = Required(name);
    if (field == nullptr) return;
    Result<T> value = from(*field, PathOf(name));
    if (!value.ok()) return Fail(value.status());
    out = std::move(value).value();
  }
  // An array whose elements `from` reads (given each element and its path).
  template <typename T>
  void ReadList(const char* name, std::vector<T>& out,
                Result<T> (*from)(const history::Json&, const std::string&)) {
    const history::Json* field = Array(name);
    if (field == nullptr) return;
    out.clear();
    for (size_t i = 0; i < field->size(); ++i) {
      Result<T> value = from((*field)[i], PathOf(name) + "[" + std::to_string(i) + "]");
      if (!value.ok()) return Fail(value.status());
      out.push_back(std::move(value).value());
    }
  }
  // An array of integers.
  void ReadList(const char* name, std::vector<int64_t>& out);

  // The field, or nullptr when absent (or `json` is no object).
  const history::Json* Find(const char* name) const;
  std::string PathOf(const std::string& name) const { return path_ + "." + name; }
  // Records `message` about field `name` as the error, unless one came first.
  void Fail(const std::string& name, const std::string& message);

 private:
  const history::Json* Required(const char* name);
  const history::Json* Array(const char* name);
  void Fail(const Status& status);

  const history::Json& json_;
  std::string path_;
  Status status_;
};

}  // namespace jepsen::checker

#endif  // JEPSEN_CHECKER_JSON_READER_H_
