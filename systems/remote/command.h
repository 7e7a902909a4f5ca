// A short command run to its end, synchronously, its output captured: the
// run's setup checks and the SSH client's one-off commands. The command runs
// in a process group of its own, killed whole when it outlives its timeout or
// the run (PR_SET_PDEATHSIG).
#ifndef JEPSEN_SYSTEMS_REMOTE_COMMAND_H_
#define JEPSEN_SYSTEMS_REMOTE_COMMAND_H_

#include <string>
#include <vector>

#include "history/status.h"

namespace jepsen::systems::remote {

struct CommandOutput {
  int exit_code = -1;  // -1: killed by a signal (or by the timeout)
  bool timed_out = false;
  std::string out, err;
};

// Runs argv (argv[0] looked up on PATH) with `input` on its stdin. An error
// only when it cannot be started; a failing command is an output whose
// exit_code says so.
Result<CommandOutput> RunCommand(const std::vector<std::string>& argv, const std::string& input,
                                 double timeout_s);

// argv as one line for messages, each word quoted for /bin/sh where it needs it.
std::string ShellLine(const std::vector<std::string>& argv);
// `text` as one word for /bin/sh.
std::string ShellWord(const std::string& text);

}  // namespace jepsen::systems::remote

#endif  // JEPSEN_SYSTEMS_REMOTE_COMMAND_H_
