// jepsen-check: decides from a recorded history alone whether a system kept its promises.
#include <unistd.h>

#include <exception>
#include <iostream>

#include "cli/check_command.h"
#include "cli/check_options.h"

int main(int argc, char** argv) {
  jepsen::cli::CheckCommand command;
  try {
    if (auto exit =
            jepsen::cli::ParseCheckArgs({argv + 1, argv + argc}, command, std::cout, std::cerr)) {
      return *exit;
    }
    command.progress = ::isatty(STDERR_FILENO) != 0;
    return jepsen::cli::RunCheck(command, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "jepsen-check: internal error: " << e.what() << "\n";
    return 255;
  }
}
