// The built-in models; FindModel() in model.cc maps names to them.
#ifndef JEPSEN_CHECKER_LINEARIZABLE_MODELS_H_
#define JEPSEN_CHECKER_LINEARIZABLE_MODELS_H_

#include <memory>

#include "checker/linearizable/model.h"

namespace jepsen::checker::linearizable {

// Which operations a register accepts.
enum class RegisterKind {
  kRegister,     // read, write
  kCasRegister,  // read, write, cas
  kKv,           // the same per key (the format's `kv` workload): read, write, cas
  kStringKv,     // Porcupine's kv: strings from "", get/read, put/write, append, cas
};

std::unique_ptr<Model> MakeRegister(RegisterKind kind, const ModelOptions& options);
std::unique_ptr<Model> MakeMultiRegister(const ModelOptions& options);
std::unique_ptr<Model> MakeMutex(const ModelOptions& options);
std::unique_ptr<Model> MakeSet(const ModelOptions& options);
std::unique_ptr<Model> MakeFifoQueue(const ModelOptions& options);
std::unique_ptr<Model> MakeFencedRegister(const ModelOptions& options);

// "file:line: <model> model: <what>" for op compile errors.
Status OpError(const history::History& history, const history::Op& op, std::string_view model,
               const std::string& what);

}  // namespace jepsen::checker::linearizable

#endif  // JEPSEN_CHECKER_LINEARIZABLE_MODELS_H_
