#include "systems/postgres/postgres_system.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "systems/netns/network.h"
#include "systems/postgres/pg_client.h"
#include "systems/postgres/sql_ops.h"
#include "systems/remote/command.h"

namespace jepsen::systems::postgres {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUser = "postgres";
constexpr int64_t kRestartAfterMs = 500;
// The run's own hba file: initdb's trusts loopback only, and the clients come from elsewhere
// (the run's network, or the control node).
constexpr const char* kHba = "local all all trust\nhost all all 0.0.0.0/0 trust\n";
constexpr double kHostCommandS = 60;

// HostProbe's: root for unshare --pid and setpriv.
constexpr const char* kProbeHost =
    "bin=; for d in \"$(pg_config --bindir 2>/dev/null)\" $(ls -d /usr/lib/postgresql/*/bin "
    "2>/dev/null | sort -V -r); do if [ -x \"$d/initdb\" ] && [ -x \"$d/postgres\" ]; then "
    "bin=$d; break; fi; done; "
    "[ -n \"$bin\" ] || { echo 'no PostgreSQL server programs (initdb, postgres) in `pg_config "
    "--bindir` or /usr/lib/postgresql/*/bin: install the postgresql package there' >&2; exit 3; "
    "}; "
    "[ \"$(id -u)\" = 0 ] || { echo 'system=postgres needs ssh-user root there (unshare --pid, "
    "setpriv to the postgres user)' >&2; exit 3; }; "
    "for p in unshare setpriv ipcrm; do command -v $p >/dev/null || { echo \"no $p on PATH "
    "(util-linux)\" >&2; exit 3; }; done; "
    "id -u postgres >/dev/null 2>&1 || { echo 'no postgres user (the postgresql package makes "
    "it)' >&2; exit 3; }; echo \"$bin\"";

// Removes the SysV segments keyed from the inode of directory $1 on, as SegmentsFrom here.
constexpr const char* kRemoveSegments =
    "ino=$(stat -c %i \"$1\") && awk -v k=\"$ino\" 'BEGIN { k = k % 4294967296; if (k >= "
    "2147483648) k -= 4294967296 } NR > 1 && $1 >= k && $1 < k + 16 { print $2 }' "
    "/proc/sysvipc/shm | while read -r id; do ipcrm -m \"$id\"; done";

// Removes what servers of earlier runs under remote-dir $1 left when their control node died
// outright (no teardown): the segment each postmaster.pid names, once nothing is attached.
constexpr const char* kRemoveLeftSegments =
    "for f in \"$1\"/*/n*/postmaster.pid; do [ -f \"$f\" ] && sed -n 7p \"$f\"; done | "
    "while read -r key id; do awk -v key=\"$key\" -v id=\"$id\" 'BEGIN { if (key >= "
    "2147483648) key -= 4294967296 } NR > 1 && $1 == key && $2 == id && $7 == 0 { f = 1 } END "
    "{ exit !f }' /proc/sysvipc/shm && ipcrm -m \"$id\"; done; true";

// `script` run by sh with `args` as $1...
std::string WithArgs(const std::string& script, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"sh", "-c", script, "sh"};
  argv.insert(argv.end(), args.begin(), args.end());
  return remote::ShellLine(argv);
}

bool Executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

bool HasServer(const std::string& dir) {
  return Executable(dir + "/initdb") && Executable(dir + "/postgres");
}

// What `command` printed, first line.
std::string FirstLine(const std::string& command) {
  std::string out;
  if (FILE* p = ::popen(command.c_str(), "r")) {
    char buffer[512];
    if (std::fgets(buffer, sizeof buffer, p) != nullptr) out = buffer;
    ::pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string Tail(std::string text) {
  return text.size() > 1500 ? text.substr(text.size() - 1500) : text;
}

// Runs `argv` to its end, its output appended to `log_path`; an error with its last output.
Status RunToEnd(const std::vector<std::string>& argv, const std::string& log_path) {
  const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return Status::Error(log_path + ": cannot open");
  const long before = ::lseek(log, 0, SEEK_END);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(log);
    return Status::Error("cannot fork for " + argv[0]);
  }
  if (child == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the run (setpriv sets it again: AsUser)
    ::dup2(log, 1);
    ::dup2(log, 2);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(log);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status();
  std::ifstream in(log_path);
  in.seekg(before);
  std::string output((std::istreambuf_iterator<char>(in)), {});
  return Status::Error(argv[0] + " failed: " + Tail(output));
}

// As the postgres user when we are root (PostgreSQL refuses to run as root), keeping the one
// capability of searching any directory: a store under a directory only root may enter
// (/root, mktemp -d) must not keep the server from its data.
std::vector<std::string> AsUser(bool root, std::vector<std::string> argv) {
  if (root) {
    argv.insert(argv.begin(),
                {"setpriv", std::string("--reuid=") + kUser, std::string("--regid=") + kUser,
                 "--init-groups", "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search",
                 // a change of user clears the parent-death signal: set again after it
                 "--pdeathsig=KILL", "--"});
  }
  return argv;
}

// initdb's argv. On jepsen-diskfs (`disks`) its own fsyncs make the new cluster durable before
// any power loss; elsewhere nothing needs them.
std::vector<std::string> Initdb(const std::string& bin, const std::string& data_dir, bool disks) {
  std::vector<std::string> argv = {bin + "/initdb", "-D", data_dir, "-U",        kUser, "-A",
                                   "trust",         "-E", "UTF8",   "--locale=C"};
  if (!disks) argv.push_back("--no-sync");
  return argv;
}

Status OwnedByUser(bool root, const std::string& dir) {
  if (!root) return Status();
  const passwd* user = ::getpwnam(kUser);
  if (user == nullptr) {
    return Status::Error(
        "system=postgres run as root needs the postgres user: apt-get install postgresql "
        "creates it (scripts/bootstrap.sh)");
  }
  if (::chown(dir.c_str(), user->pw_uid, user->pw_gid) != 0 || ::chmod(dir.c_str(), 0700) != 0) {
    return Status::Error(dir + ": cannot give it to the postgres user: " + std::strerror(errno));
  }
  return Status();
}

// The key of the SysV segment a server of `data_dir` makes first (PGSharedMemoryCreate: its
// data directory's inode; the next key while one is taken), or -1. The segment outlives a
// SIGKILLed server, and postmaster.pid names it only once the server has written it.
int64_t FirstKeyOf(const std::string& data_dir) {
  struct stat dir;
  return ::stat(data_dir.c_str(), &dir) == 0 ? static_cast<key_t>(dir.st_ino) : -1;
}

// The ids of the segments keyed from `first` on.
std::vector<int> SegmentsFrom(int64_t first) {
  std::vector<int> ids;
  std::ifstream in("/proc/sysvipc/shm");
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    long long key = 0;
    int id = -1;
    if (!(fields >> key >> id)) continue;
    if (first >= 0 && key >= first && key < first + 16) ids.push_back(id);
  }
  return ids;
}

}  // namespace

Result<std::string> FindPostgres() {
  const std::string configured = FirstLine("pg_config --bindir 2>/dev/null");
  if (!configured.empty() && HasServer(configured)) return configured;
  std::vector<std::string> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
    const std::string bin = entry.path().string() + "/bin";
    if (HasServer(bin)) found.push_back(bin);
  }
  if (found.empty()) {
    return Status::Error(
        "system=postgres needs PostgreSQL's server programs (initdb, postgres) in `pg_config "
        "--bindir` or /usr/lib/postgresql/*/bin: apt-get install postgresql "
        "(scripts/bootstrap.sh installs it)");
  }
  std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
    return std::stoi(fs::path(a).parent_path().filename()) <
           std::stoi(fs::path(b).parent_path().filename());
  });
  return found.back();
}

std::string HostProbe() { return kProbeHost; }

std::vector<int> Descendants(int pid) {
  std::vector<int> all;
  std::vector<int> parents = {pid};
  while (!parents.empty()) {
    const int parent = parents.back();
    parents.pop_back();
    std::error_code error;
    const std::string tasks = "/proc/" + std::to_string(parent) + "/task";
    for (const auto& task : fs::directory_iterator(tasks, error)) {
      std::ifstream in(task.path() / "children");
      for (int child; in >> child;) {
        all.push_back(child);
        parents.push_back(child);
      }
    }
  }
  return all;
}

SystemType Registration() {
  const PostgresSystem::Options defaults;
  std::vector<options::Option> declared = {
      options::Switch("synchronous-commit", defaults.synchronous_commit,
                      "PostgreSQL's synchronous_commit: off acknowledges a commit before "
                      "its WAL is flushed (a power loss may take it back)"),
      options::Switch("synchronous_commit", defaults.synchronous_commit,
                      "synchronous-commit, as PostgreSQL spells it"),
      options::Switch("fsync", defaults.fsync,
                      "PostgreSQL's fsync: off never flushes anything to disk"),
      options::Choice("isolation", defaults.isolation,
                      {"read-committed", "repeatable-read", "serializable"},
                      "default_transaction_isolation of every statement"),
      options::Switch("fencing", defaults.fencing,
                      "workload=leases: on: a write to the resource is refused when its "
                      "token is below the stored one; off: every write is taken")};
  for (options::Option& o : remote::HostOptions()) declared.push_back(std::move(o));
  return {"postgres", "one node of the Debian PostgreSQL server (postgresql), started by the run",
          std::move(declared),
          [](const options::Values& values) -> Result<std::unique_ptr<System>> {
            PostgresSystem::Options o;
            o.synchronous_commit = values.On("synchronous-commit");
            if (values.Given("synchronous_commit")) {  // PostgreSQL's own spelling
              const bool given = values.On("synchronous_commit");
              if (values.Given("synchronous-commit") && given != o.synchronous_commit) {
                return Status::Error(
                    "synchronous_commit and synchronous-commit are one option, given two values");
              }
              o.synchronous_commit = given;
            }
            o.fsync = values.On("fsync");
            o.isolation = values.Text("isolation");
            o.fencing = values.On("fencing");
            Result<remote::Hosts> hosts = remote::HostsFrom(values);
            if (!hosts.ok()) return hosts.status();
            return std::unique_ptr<System>(new PostgresSystem(o, std::move(*hosts)));
          }};
}

Abilities PostgresSystem::abilities(const SetupContext& context) const {
  Abilities a;
  AddAbilities(context, a);
  a.capabilities.insert(Leadership::kName);
  if (on_hosts()) {  // PrepareOnHost does not make a node's data durable (initdb --no-sync)
    a.capabilities.erase(Disks::kName);
    a.why_not[Disks::kName] =
        "runs its node on a remote host, where PostgreSQL's disk faults are not carried out yet";
  }
  return a;
}

Json PostgresSystem::HeaderOptions(const std::string& workload) const {
  Json header = {{"synchronous_commit", options_.synchronous_commit},
                 {"fsync", options_.fsync},
                 {"isolation", options_.isolation}};
  if (workload == "leases") header["fencing"] = options_.fencing;
  return header;
}

Status PostgresSystem::Setup(const SetupContext& context) {
  context_ = context;
  if (!on_hosts()) {  // on a host, its own programs (PrepareOnHost)
    Result<std::string> bin = FindPostgres();
    if (!bin.ok()) return bin.status();
    bin_dir_ = *bin;
  }
  return StartNodes(context, 1, [this](const NodeInfo& node) { return NodeCommand(node); });
}

Result<ProcessSpec> PostgresSystem::NodeCommand(const NodeInfo& node) {
  ProcessSpec spec;
  if (node.remote) {
    Result<std::vector<std::string>> argv = PrepareOnHost(node);
    if (!argv.ok()) return argv.status();
    // jepsen-keeper reports an exit and restarts nothing: a server that exits by itself on a
    // host stays down until restarted: the end of a kill of it (docs/postgres.md).
    spec.argv = std::move(*argv);
    return spec;
  }
  const bool root = ::geteuid() == 0;
  const std::string sockets = node.data_dir + ".sock";
  std::error_code error;
  fs::create_directories(sockets, error);
  if (error) return Status::Error(sockets + ": cannot create: " + error.message());
  for (const std::string& dir : {node.data_dir, sockets}) {
    if (Status s = OwnedByUser(root, dir); !s.ok()) return s;
  }
  if (Status s = RunToEnd(AsUser(root, Initdb(bin_dir_, node.data_dir, context_.disks)),
                          context_.log_path);
      !s.ok()) {
    return s;
  }
  {
    std::ofstream out(node.data_dir + ".hba.conf", std::ios::trunc);
    out << kHba;
    if (!out) return Status::Error(node.data_dir + ".hba.conf: cannot write");
  }
  spec.argv = ServerArgv(node, bin_dir_, root);
  // A server that exits by itself (a PANIC while restarting on a full disk) is started again,
  // as a supervisor would; one the nemesis kills stays down until it restarts it.
  spec.restart_after_ms = kRestartAfterMs;
  return spec;
}

Result<std::vector<std::string>> PostgresSystem::PrepareOnHost(const NodeInfo& node) {
  const std::string where = "host " + host_names_.front() + " (" + node.name + ")";
  const std::string remote_dir = fs::path(node.data_dir).parent_path().parent_path().string();
  Result<remote::CommandOutput> probed = RunOnHost(
      node, HostProbe() + "; " + WithArgs(kRemoveLeftSegments, {remote_dir}), kHostCommandS);
  if (!probed.ok()) return probed.status();
  std::string bin = probed->out.substr(0, probed->out.find('\n'));
  if (probed->exit_code != 0 || bin.empty()) {
    return Status::Error(where + ": " + (probed->exit_code == 255 ? "ssh failed: " : "") +
                         Tail(probed->err.empty() ? probed->out : probed->err));
  }
  // As locally: the directories the postgres user's, initdb as that user, the run's hba file.
  const std::string sockets = remote::ShellWord(node.data_dir + ".sock");
  const std::string data = remote::ShellWord(node.data_dir);
  Result<remote::CommandOutput> made = RunOnHost(
      node,
      "mkdir -p " + sockets + " && chown " + kUser + ": " + data + " " + sockets +
          " && chmod 700 " + data + " " + sockets + " && printf %s " + remote::ShellWord(kHba) +
          " > " + remote::ShellWord(node.data_dir + ".hba.conf") + " && " +
          remote::ShellLine(AsUser(true, Initdb(bin, node.data_dir, false))) + " 2>&1",
      kHostCommandS);
  if (!made.ok()) return made.status();
  std::ofstream(context_.log_path, std::ios::app) << made->out << made->err;
  if (made->exit_code != 0) {
    return Status::Error(where + ": initdb failed: " + Tail(made->out + made->err));
  }
  return ServerArgv(node, bin, true);
}

std::vector<std::string> PostgresSystem::ServerArgv(const NodeInfo& node, const std::string& bin,
                                                    bool root) const {
  const std::string sockets = node.data_dir + ".sock";
  // A Unix socket's path has room for 107 bytes: a store deeper than that gets none (the
  // clients connect over TCP anyway).
  const bool unix_socket = (sockets + "/.s.PGSQL." + std::to_string(node.port)).size() <= 107;
  std::string level = options_.isolation;  // "read committed", as PostgreSQL spells it
  std::replace(level.begin(), level.end(), '-', ' ');
  std::vector<std::string> argv = AsUser(
      root,
      {bin + "/postgres", "-D", node.data_dir, "-k",
       // A list: quoted, as a store's path may hold a comma ("register-loss,slow").
       unix_socket ? "\"" + sockets + "\"" : "", "-p", std::to_string(node.port), "-c",
       "listen_addresses=" + node.host, "-c",
       std::string("synchronous_commit=") + (options_.synchronous_commit ? "on" : "off"), "-c",
       std::string("fsync=") + (options_.fsync ? "on" : "off"), "-c",
       "default_transaction_isolation=" + level,
       // Dynamic shared memory in the data directory, not /dev/shm: a
       // killed server leaves nothing outside the store.
       "-c", "dynamic_shared_memory_type=mmap", "-c", "hba_file=" + node.data_dir + ".hba.conf"});
  argv.insert(argv.begin(), {"unshare", "--pid", "--fork", "--kill-child"});
  return argv;
}

Status PostgresSystem::AwaitReady(double timeout_s) {
  const NodeInfo& node = node_info().front();
  std::vector<std::pair<std::string, std::string>> params = ConnectionParams(node.host, node.port);
  params.emplace_back("connect_timeout", "1");
  std::vector<const char*> keys, values;
  for (const auto& [k, v] : params) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  // Ready once it takes a connection and the run's schema.
  return AwaitServing(timeout_s, true, [&]() -> Result<std::string> {
    PGconn* conn = nullptr;
    Status entered = netns::InNamespace(
        clients_fd(), [&] { conn = PQconnectdbParams(keys.data(), values.data(), 0); });
    if (!entered.ok()) return entered;
    std::string said;
    if (PQstatus(conn) == CONNECTION_OK) {
      PGresult* made = PQexec(conn, kSchema);
      const bool ok = PQresultStatus(made) == PGRES_COMMAND_OK;
      said = PQresultErrorMessage(made);
      PQclear(made);
      PQfinish(conn);
      if (ok) return std::string();
      return Status::Error("postgres: cannot make the schema: " + said);
    }
    said = PQerrorMessage(conn);
    PQfinish(conn);
    while (!said.empty() && said.back() == '\n') said.pop_back();
    return said.empty() ? std::string("not accepting connections") : said;
  });
}

std::unique_ptr<Client> PostgresSystem::NewClient(int) {
  const NodeInfo& node = node_info().front();
  ClientConfig config;
  config.workload = context_.workload;
  config.host = node.host;
  config.port = node.port;
  config.fencing = options_.fencing;
  config.netns_fd = clients_fd();
  return std::make_unique<PgClient>(context_.loop, std::move(config));
}

Result<std::string> PostgresSystem::Leader() {
  if (node_info().empty()) return Status::Error("postgres has not started");
  return node_info().front().name;
}

// On a host the keeper's stop and cont reach every descendant themselves.
void PostgresSystem::SignalDescendants(const std::string& name, int sig) {
  if (on_hosts()) return;
  for (int pid : Descendants(ProcessGroup(name))) ::kill(pid, sig);
}

Status PostgresSystem::Pause(const std::string& node) {
  if (Status s = Nodes::Pause(node); !s.ok()) return s;  // no more children from here on
  SignalDescendants(node, SIGSTOP);
  return Status();
}

Status PostgresSystem::Resume(const std::string& node) {
  SignalDescendants(node, SIGCONT);
  return Nodes::Resume(node);
}

void PostgresSystem::Teardown() {
  if (on_hosts()) {
    // Killed first (the keeper answers once it is), so its segments can go while the
    // connection is there; the data directory stays for a post-mortem, as other systems'.
    for (const NodeInfo& n : node_info()) {
      (void)Kill(n.name);
      (void)RunOnHost(n,
                      WithArgs(std::string(kRemoveSegments) + "; rm -rf \"$1.sock\"", {n.data_dir}),
                      kHostCommandS);
    }
    StopNodes();
    return;
  }
  std::vector<std::string> data_dirs;
  std::vector<int64_t> keys;
  for (const NodeInfo& n : node_info()) {
    data_dirs.push_back(n.data_dir);
    keys.push_back(FirstKeyOf(n.data_dir));  // before its disk is unmounted
  }
  StopNodes();
  // Each goes once the killed server's last process detaches.
  for (int64_t key : keys) {
    for (int id : SegmentsFrom(key)) ::shmctl(id, IPC_RMID, nullptr);
  }
  for (const std::string& dir : data_dirs) {
    std::error_code error;
    fs::remove_all(dir + ".sock", error);
  }
}

}  // namespace jepsen::systems::postgres
