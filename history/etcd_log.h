// Importing the Jepsen logs Porcupine keeps as test data (etcd runs): lines
//   INFO  jepsen.util - 3	:invoke	:cas	[1 2]
// giving process (an integer or :nemesis), type, f and value, separated by
// tabs or runs of spaces; lines end at LF, CR or CRLF. The value is one EDN form (nil, 3, [1 2],
// :timed-out); anything after it on the line is taken as the op's error, as
// Jepsen logs it in a fifth column. Lines without "jepsen.util - " are other
// log noise and skipped. The logs carry no time or index: the line number
// stands in. A final line cut short (no newline, unparseable) is ignored with
// a warning; any other line that cannot be read is an error naming
// "file:line: ... field".
#ifndef JEPSEN_HISTORY_ETCD_LOG_H_
#define JEPSEN_HISTORY_ETCD_LOG_H_

#include <string>
#include <string_view>

#include "history/history.h"

namespace jepsen::history {

class Input;

Result<History> ReadEtcdLog(const std::string& path);
// The same for text already in memory; `source` names it in messages.
Result<History> ParseEtcdLog(std::string_view text, const std::string& source);
// The same from an input (see input.h), streaming a line at a time.
Result<History> ReadEtcdLog(Input& in);

}  // namespace jepsen::history

#endif  // JEPSEN_HISTORY_ETCD_LOG_H_
