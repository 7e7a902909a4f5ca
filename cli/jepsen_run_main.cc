// jepsen-run: one command, a real test: starts the system, drives clients
// while the nemesis injects faults, records the history, checks it.
#include <unistd.h>

#include <exception>
#include <iostream>

#include "cli/run_command.h"
#include "cli/run_options.h"

int main(int argc, char** argv) {
  try {
    jepsen::cli::RunArgs args;
    if (auto exit =
            jepsen::cli::ParseRunArgs({argv + 1, argv + argc}, args, std::cout, std::cerr)) {
      return *exit;
    }
    return jepsen::cli::RunCommand(args, std::cout, std::cerr, ::isatty(STDOUT_FILENO) != 0);
  } catch (const std::exception& e) {
    std::cerr << "jepsen-run: internal error: " << e.what() << "\n";
    return 255;
  }
}
