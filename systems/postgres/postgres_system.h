// PostgreSQL as a system under test (docs/postgres.md): one node, the Debian
// postgresql server started directly (not through systemd or pg_ctlcluster),
// initdb'd into the run's store, as the `postgres` user when the run is root,
// on its node's address and free port, its socket directory in the store, its
// settings as `-c` flags. Or, given `hosts`, the same on the first host over
// SSH (its own server programs, its data under remote-dir, kept by
// jepsen-keeper). Clients speak libpq on the run's loop (pg_client.h).
//
// PostgreSQL puts each of its children in a session of its own (setsid), out of
// the postmaster's process group, so a signal to the node's group alone would
// reach the postmaster and not the backends serving the clients. The node is
// started in a PID namespace of its own (`unshare --pid --fork --kill-child`)
// with the postmaster as its init: when the postmaster dies, the kernel kills
// every process of the namespace before its exit is complete, so a kill (and the
// run's own death) takes the whole server, and a power loss waits for all of it.
// A pause stops the postmaster's group, then each of its descendants.
#ifndef JEPSEN_SYSTEMS_POSTGRES_POSTGRES_SYSTEM_H_
#define JEPSEN_SYSTEMS_POSTGRES_POSTGRES_SYSTEM_H_

#include <memory>
#include <string>
#include <vector>

#include "systems/nodes.h"
#include "systems/system.h"
#include "systems/systems.h"

namespace jepsen::systems::postgres {

// system=postgres, with options synchronous-commit, fsync, isolation and fencing.
SystemType Registration();

class PostgresSystem : public System, public Nodes, public Leadership {
 public:
  struct Options {
    bool synchronous_commit = true;
    bool fsync = true;
    std::string isolation = "read-committed";  // or repeatable-read, serializable
    bool fencing = true;                       // leases: the resource's writes compare tokens
  };
  // `hosts`: where its node runs (none: on this machine).
  explicit PostgresSystem(Options options, remote::Hosts hosts = {})
      : Nodes("postgres nodes", hosts),
        options_(std::move(options)),
        host_names_(std::move(hosts.names)) {}

  Abilities abilities(const SetupContext& context) const override;
  Json HeaderOptions(const std::string& workload) const override;
  Status Setup(const SetupContext& context) override;
  std::vector<std::string> nodes() const override { return node_names(); }
  // The node accepts connections and the schema is made.
  Status AwaitReady(double timeout_s) override;
  bool Up() const override { return NodesUp(); }
  std::unique_ptr<Client> NewClient(int thread) override;
  void Teardown() override;
  Result<std::string> Leader() override;  // its one node
  // The postmaster's group, then every process it started (each in a session of its own).
  Status Pause(const std::string& node) override;
  Status Resume(const std::string& node) override;

 private:
  Result<ProcessSpec> NodeCommand(const NodeInfo& node);
  // initdb and the hba file on the node's host, its programs found there: the server's argv.
  Result<std::vector<std::string>> PrepareOnHost(const NodeInfo& node);
  // The server's argv, locally and on a host alike: `bin` its programs' directory, `root`
  // whether it is started as root (then run as the postgres user).
  std::vector<std::string> ServerArgv(const NodeInfo& node, const std::string& bin,
                                      bool root) const;
  // SIGSTOP or SIGCONT to every process the node's postmaster started (on a host its keeper
  // does so).
  void SignalDescendants(const std::string& node, int sig);

  Options options_;
  std::vector<std::string> host_names_;  // for messages: node i runs on host i
  SetupContext context_;
  std::string bin_dir_;
};

// The directory of PostgreSQL's server programs (initdb, postgres): `pg_config --bindir`,
// else the newest /usr/lib/postgresql/*/bin; an error naming what is missing.
Result<std::string> FindPostgres();

// The /bin/sh command that finds the server programs on a host as FindPostgres does here and
// checks what the node needs there besides (root, util-linux, the postgres user): it prints
// the programs' directory, or says on stderr what is missing and exits 3.
std::string HostProbe();

// The pids of every descendant of process `pid` (children first), from /proc.
std::vector<int> Descendants(int pid);

}  // namespace jepsen::systems::postgres

#endif  // JEPSEN_SYSTEMS_POSTGRES_POSTGRES_SYSTEM_H_
