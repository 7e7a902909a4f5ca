// A sequential specification the linearizability search checks a history
// against. A model instance serves one partition (one key): it compiles that
// partition's operations once, then answers Step() during the search. States
// are opaque 64-bit handles so the search can hash and compare them cheaply;
// models with rich states intern them.
#ifndef JEPSEN_CHECKER_LINEARIZABLE_MODEL_H_
#define JEPSEN_CHECKER_LINEARIZABLE_MODEL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "history/history.h"

namespace jepsen::checker::linearizable {

using history::Json;

class Model {
 public:
  using State = uint64_t;
  virtual ~Model() = default;

  // Compiles the next operation of the partition; ops are numbered 0, 1, ...
  // in the order they are added. Errors name the op's file:line and field.
  virtual Status Add(const history::History& history, const history::Op& op) = 0;
  virtual State Initial() = 0;
  // The state after op `i` takes effect in `state`, or nullopt when it cannot.
  virtual std::optional<State> Step(State state, uint32_t i) = 0;
  // True when op `i` never changes any state it is legal in (a read). The
  // search applies such ops greedily and drops indeterminate ones.
  virtual bool ReadOnly(uint32_t i) const = 0;
  // Ops with the same effect key have the same Step in every state, so
  // indeterminate ones are interchangeable. Distinct effects, distinct keys.
  virtual uint64_t EffectKey(uint32_t i) const = 0;
  // True only when no sequence of the ops not yet linearized (linearized[i]
  // == 0) can take `state` to one in which read-only op `read` is legal (say,
  // no pending write writes what the read saw). The search prunes with it;
  // false is always a safe answer.
  virtual bool Unreachable(State /*state*/, uint32_t /*read*/,
                           const std::vector<uint8_t>& /*linearized*/) const {
    return false;
  }
  // The state as a JSON value, for explanations.
  virtual Json Describe(State state) const = 0;
};

struct ModelOptions {
  Json initial;               // the initial value; null for the model's default
  bool has_initial = false;   // whether `initial` was given
  bool nil_read_any = false;  // Knossos: a read returning nil observed nothing
};

using ModelFactory = std::function<std::unique_ptr<Model>()>;

// Looks a model up by name: register, cas-register, kv (a cas-register per
// key), string-kv (Porcupine's get/put/append strings), multi-register, mutex,
// set, fifo-queue, fenced-register. Errors list the names known.
Result<ModelFactory> FindModel(std::string_view name, const ModelOptions& options);
std::vector<std::string> ModelNames();
// A few words on what a model is, for --help ("a cas-register per key");
// "" when its name says it, or it is no model.
std::string_view ModelNote(std::string_view name);

}  // namespace jepsen::checker::linearizable

#endif  // JEPSEN_CHECKER_LINEARIZABLE_MODEL_H_
