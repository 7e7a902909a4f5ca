// jepsen-refstore: the bundled reference system under test. A small store on
// loopback TCP, persisting in SQLite, with planted bugs to prove the checkers.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "systems/refstore/server.h"

namespace {

uv_signal_t term_signal, int_signal;

}  // namespace

int main(int argc, char** argv) {
  using namespace jepsen::systems::refstore;
  std::string data_dir = ".";
  std::string port_file;
  std::vector<std::string> bugs;
  std::string sync = "full", fsync;
  ServerOptions options;
  CLI::App app{"The reference store: registers, leases with fencing tokens, checkpoints.",
               "jepsen-refstore"};
  app.add_option("--host", options.host, "Address to listen on")->default_val("127.0.0.1");
  app.add_option("--port", options.port, "TCP port (0: any free port)");
  app.add_option("--data", data_dir, "Directory for the SQLite database")->default_val(".");
  app.add_option("--port-file", port_file, "Write the port listened on to this file");
  std::string bug_help = "Planted bug (repeatable):";
  for (const std::string& name : BugNames()) bug_help += " " + name;
  app.add_option("--bug", bugs, bug_help);
  app.add_option("--sync", sync,
                 "SQLite's synchronous (WAL): full survives power loss; normal, off: kills only")
      ->default_val("full")
      ->check(CLI::IsMember({"full", "normal", "off"}));
  app.add_option("--fsync", fsync, "Older name: on is --sync full, off is --sync normal")
      ->check(CLI::IsMember({"on", "off"}))
      ->excludes("--sync");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 254;
  }
  for (const std::string& name : bugs) {
    std::optional<Bug> bug = ParseBug(name);
    if (!bug) {
      std::cerr << "jepsen-refstore: unknown bug '" << name << "'\n";
      return 254;
    }
    options.store.bugs.insert(*bug);
  }
  options.store.path = data_dir + "/refstore.db";
  options.store.sync = fsync.empty() ? sync : fsync == "on" ? "full" : "normal";

  uv_loop_t* loop = uv_default_loop();
  auto server = Server::Start(loop, options);
  if (!server.ok()) {
    std::cerr << "jepsen-refstore: " << server.message() << "\n";
    return 1;
  }
  if (!port_file.empty()) {
    // Written whole then renamed, so a reader never sees half a number.
    std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << (*server)->port() << "\n";
    std::rename(tmp.c_str(), port_file.c_str());
  }
  std::cout << "jepsen-refstore listening on " << options.host << ":" << (*server)->port()
            << std::endl;

  auto stop = [](uv_signal_t* handle, int) {
    static_cast<Server*>(handle->data)->Close();
    uv_close(reinterpret_cast<uv_handle_t*>(&term_signal), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&int_signal), nullptr);
  };
  for (uv_signal_t* s : {&term_signal, &int_signal}) {
    uv_signal_init(loop, s);
    s->data = server->get();
  }
  uv_signal_start(&term_signal, stop, SIGTERM);
  uv_signal_start(&int_signal, stop, SIGINT);
  uv_run(loop, UV_RUN_DEFAULT);
  return 0;
}
