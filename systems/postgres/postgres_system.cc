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

namespace jepsen::systems::postgres {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUser = "postgres";
constexpr int64_t kRestartAfterMs = 500;

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
  if (output.size() > 1500) output = output.substr(output.size() - 1500);
  return Status::Error(argv[0] + " failed: " + output);
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
  return {"postgres",
          "one node of the Debian PostgreSQL server (postgresql), started by the run",
          {options::Switch("synchronous-commit", defaults.synchronous_commit,
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
                           "token is below the stored one; off: every write is taken")},
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
            return std::unique_ptr<System>(new PostgresSystem(o));
          }};
}

Abilities PostgresSystem::abilities(const SetupContext& context) const {
  Abilities a;
  AddAbilities(context, a);
  a.capabilities.insert(Leadership::kName);
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
  Result<std::string> bin = FindPostgres();
  if (!bin.ok()) return bin.status();
  bin_dir_ = *bin;
  return StartNodes(context, 1, [this](const LocalNode& node) { return NodeCommand(node); });
}

Result<ProcessSpec> PostgresSystem::NodeCommand(const LocalNode& node) {
  const bool root = ::geteuid() == 0;
  const std::string sockets = node.data_dir + ".sock";
  std::error_code error;
  fs::create_directories(sockets, error);
  if (error) return Status::Error(sockets + ": cannot create: " + error.message());
  for (const std::string& dir : {node.data_dir, sockets}) {
    if (Status s = OwnedByUser(root, dir); !s.ok()) return s;
  }
  // On jepsen-diskfs initdb's own fsyncs make the new cluster durable before any power loss;
  // elsewhere nothing needs them.
  std::vector<std::string> initdb = {
      bin_dir_ + "/initdb", "-D", node.data_dir, "-U", kUser, "-A", "trust", "-E", "UTF8",
      "--locale=C"};
  if (!context_.disks) initdb.push_back("--no-sync");
  if (Status s = RunToEnd(AsUser(root, initdb), context_.log_path); !s.ok()) return s;
  // initdb's pg_hba.conf trusts loopback only; in the run's network the clients come from
  // their own address. The run's own file, not an edit of the cluster's.
  const std::string hba = node.data_dir + ".hba.conf";
  {
    std::ofstream out(hba, std::ios::trunc);
    out << "local all all trust\nhost all all 0.0.0.0/0 trust\n";
    if (!out) return Status::Error(hba + ": cannot write");
  }
  // A Unix socket's path has room for 107 bytes: a store deeper than that gets none (the
  // clients connect over TCP anyway).
  const bool unix_socket = (sockets + "/.s.PGSQL." + std::to_string(node.port)).size() <= 107;
  std::string level = options_.isolation;  // "read committed", as PostgreSQL spells it
  std::replace(level.begin(), level.end(), '-', ' ');
  ProcessSpec spec;
  spec.argv = AsUser(
      root, {bin_dir_ + "/postgres", "-D", node.data_dir, "-k",
             // A list: quoted, as a store's path may hold a comma ("register-loss,slow").
             unix_socket ? "\"" + sockets + "\"" : "", "-p", std::to_string(node.port), "-c",
             "listen_addresses=" + node.host, "-c",
             std::string("synchronous_commit=") + (options_.synchronous_commit ? "on" : "off"),
             "-c", std::string("fsync=") + (options_.fsync ? "on" : "off"), "-c",
             "default_transaction_isolation=" + level,
             // Dynamic shared memory in the data directory, not /dev/shm: a
             // killed server leaves nothing outside the store.
             "-c", "dynamic_shared_memory_type=mmap", "-c", "hba_file=" + hba});
  spec.argv.insert(spec.argv.begin(), {"unshare", "--pid", "--fork", "--kill-child"});
  // A server that exits by itself (a PANIC while restarting on a full disk) is started again,
  // as a supervisor would; one the nemesis kills stays down until it restarts it.
  spec.restart_after_ms = kRestartAfterMs;
  return spec;
}

Status PostgresSystem::AwaitReady(double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
  const LocalNode& node = local_nodes().front();
  std::vector<std::pair<std::string, std::string>> params = ConnectionParams(node.host, node.port);
  params.emplace_back("connect_timeout", "1");
  std::vector<const char*> keys, values;
  for (const auto& [k, v] : params) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  std::string last;
  while (true) {
    uv_run(context_.loop, UV_RUN_NOWAIT);  // reaps a node that exited at once
    if (Status exited = NodeExited(); !exited.ok()) {
      return Status::Error("postgres " + exited.message());
    }
    PGconn* conn = nullptr;
    Status entered = netns::InNamespace(
        clients_fd(), [&] { conn = PQconnectdbParams(keys.data(), values.data(), 0); });
    if (!entered.ok()) return entered;
    if (PQstatus(conn) == CONNECTION_OK) {
      PGresult* made = PQexec(conn, kSchema);
      const bool ok = PQresultStatus(made) == PGRES_COMMAND_OK;
      last = PQresultErrorMessage(made);
      PQclear(made);
      PQfinish(conn);
      if (ok) return Status();
      return Status::Error("postgres: cannot make the schema: " + last);
    }
    last = PQerrorMessage(conn);
    PQfinish(conn);
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  while (!last.empty() && last.back() == '\n') last.pop_back();
  return Status::Error("postgres did not accept connections within " +
                       std::to_string(static_cast<int>(timeout_s)) + " s (" + last + "; see " +
                       context_.log_path + ")");
}

std::unique_ptr<Client> PostgresSystem::NewClient(int) {
  const LocalNode& node = local_nodes().front();
  ClientConfig config;
  config.workload = context_.workload;
  config.host = node.host;
  config.port = node.port;
  config.fencing = options_.fencing;
  config.netns_fd = clients_fd();
  return std::make_unique<PgClient>(context_.loop, std::move(config));
}

Result<std::string> PostgresSystem::Leader() {
  if (local_nodes().empty()) return Status::Error("postgres has not started");
  return local_nodes().front().name;
}

Status PostgresSystem::Pause(const std::string& node) {
  if (Status s = LocalNodes::Pause(node); !s.ok()) return s;  // no more children from here on
  for (int pid : Descendants(ProcessGroup(node))) ::kill(pid, SIGSTOP);
  return Status();
}

Status PostgresSystem::Resume(const std::string& node) {
  for (int pid : Descendants(ProcessGroup(node))) ::kill(pid, SIGCONT);
  return LocalNodes::Resume(node);
}

void PostgresSystem::Teardown() {
  std::vector<std::string> data_dirs;
  std::vector<int64_t> keys;
  for (const LocalNode& n : local_nodes()) {
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
