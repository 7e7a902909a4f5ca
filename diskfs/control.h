// The control channel of a jepsen-diskfs: a Unix stream socket taking one
// command a line ("power-loss", "stats") and answering each with one line of
// JSON ({"ok": true, ...} or {"ok": false, "error": "..."}), so the caller
// knows it took effect. An address starting with '@' is in Linux's abstract
// namespace (nothing on disk to clean up); any other is a path.
#ifndef JEPSEN_DISKFS_CONTROL_H_
#define JEPSEN_DISKFS_CONTROL_H_

#include <functional>
#include <string>

#include "history/status.h"

namespace jepsen::diskfs {

// Serves `address` on a thread of its own until the process exits; `handle`
// turns a command into its reply line (it runs on that thread).
Status ServeControl(const std::string& address,
                    std::function<std::string(const std::string& command)> handle);

// Sends `command` and waits at most `timeout_ms` for its reply line.
Result<std::string> SendControl(const std::string& address, const std::string& command,
                                int timeout_ms);

}  // namespace jepsen::diskfs

#endif  // JEPSEN_DISKFS_CONTROL_H_
