#include "generator/generator.h"

namespace jepsen::generator {

GenPtr CloneOf(const GenPtr& gen) { return gen ? gen->Clone() : nullptr; }

}  // namespace jepsen::generator
