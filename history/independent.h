// Jepsen's independent-key histories (jepsen.independent) run one small test
// per key and record each client op's value as a [key value] pair. The
// format's way is Event::key; this moves the pair apart.
#ifndef JEPSEN_HISTORY_INDEPENDENT_H_
#define JEPSEN_HISTORY_INDEPENDENT_H_

#include "history/history.h"

namespace jepsen::history {

// For every client event that has no key yet, its value [k v] becomes key k
// and value v. Nemesis events are left alone. Events that already have a key
// are left alone as well: they are split already (our own files carry keys),
// which makes splitting twice harmless -- a cas value [1 2] with a key is
// not taken for another pair.
//
// Errors, naming "file:line" and the field 'value': a client event without a
// key whose value is not a 2-element array; a key k that is not a string or
// an integer (the format's rule for keys); a completion whose k differs from
// its invocation's. On error the history is left unchanged.
Status SplitIndependentKeys(History& history);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_INDEPENDENT_H_
