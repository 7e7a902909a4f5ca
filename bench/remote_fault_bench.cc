// What a fault on a node costs over SSH against the same fault on a local node
// (issue 16): kill then restart, pause then resume, each timed from the call to
// its return (the fault done: the node reaped, or stopped) over N rounds, on
// a local Process, on jepsen-keeper driven through a local pipe (the keeper's
// own cost), and on jepsen-keeper on a stand-in host over SSH (a namespace
// running sshd, tests/support/fleet.h); a partition on one and on three hosts
// (nftables through each host's keeper); a clock step through the node's
// keeper against FakeClock here; and a PostgreSQL node on that host
// (system=postgres with hosts=: ready after setup, pause and resume of every
// process of the server). Needs root and openssh-server (and postgresql).
//   build/bench/remote_fault_bench [rounds]
#include <uv.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "systems/clock/fake_clock.h"
#include "systems/netns/network.h"
#include "systems/postgres/postgres_system.h"
#include "systems/process.h"
#include "systems/remote/host_firewall.h"
#include "systems/remote/remote_process.h"
#include "systems/remote/ssh_host.h"
#include "tests/support/fleet.h"

namespace {

using jepsen::Status;
using Clock = std::chrono::steady_clock;

struct Summary {
  double median_ms = 0, max_ms = 0;
};

Summary Summarize(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms.back()};
}

double Time(const std::function<void()>& fault) {
  const auto start = Clock::now();
  fault();
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void Print(const char* where, const char* fault, const Summary& s) {
  std::printf("%-28s %-16s median %8.2f ms   max %8.2f ms\n", where, fault, s.median_ms, s.max_ms);
}

// Rounds of kill+start and pause+resume on `node`, whose calls block until done.
template <class Node>
void Measure(const char* where, Node& node, int rounds, uv_loop_t* loop) {
  std::vector<double> kill, start, pause, resume;
  for (int i = 0; i < rounds; ++i) {
    pause.push_back(Time([&] { node.Pause(); }));
    resume.push_back(Time([&] { node.Resume(); }));
    kill.push_back(Time([&] { node.Kill(); }));
    start.push_back(Time([&] { node.Start(); }));
    uv_run(loop, UV_RUN_NOWAIT);
  }
  Print(where, "kill", Summarize(kill));
  Print(where, "restart", Summarize(start));
  Print(where, "pause", Summarize(pause));
  Print(where, "resume", Summarize(resume));
}

// system=postgres with its node on the fleet's first host: setup until ready, then pause and
// resume (the keeper's stop and cont, which reach every process of the server).
void MeasurePostgres(const jepsen::testing::Fleet& fleet, int rounds, uv_loop_t* loop) {
  if (!jepsen::systems::postgres::FindPostgres().ok()) return;
  jepsen::systems::remote::Hosts hosts;
  hosts.names = {fleet.hosts()[0]};
  hosts.ssh = {fleet.ssh_options()};
  hosts.dir = fleet.dir() + "/remote";
  hosts.port = 7000;
  jepsen::systems::postgres::PostgresSystem system({}, hosts);
  jepsen::systems::SetupContext context;
  context.loop = loop;
  context.workload = "register";
  context.data_dir = fleet.dir() + "/store/postgres/data";
  context.log_path = fleet.dir() + "/postgres.log";
  context.binary_dir = std::filesystem::path(JEPSEN_KEEPER).parent_path().string();
  std::filesystem::create_directories(context.data_dir);
  Status ready;
  const double setup = Time([&] {
    ready = system.Setup(context);
    if (ready.ok()) ready = system.AwaitReady(30);
  });
  if (!ready.ok()) {
    std::printf("postgres on a host: %s\n", ready.message().c_str());
    system.Teardown();
    return;
  }
  Print("postgres on a host", "setup to ready", {setup, setup});
  std::vector<double> pause, resume;
  for (int i = 0; i < rounds; ++i) {
    pause.push_back(Time([&] { (void)system.Pause("n1"); }));
    resume.push_back(Time([&] { (void)system.Resume("n1"); }));
  }
  Print("postgres on a host", "pause", Summarize(pause));
  Print("postgres on a host", "resume", Summarize(resume));
  system.Teardown();
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 30;
  const std::string keeper = JEPSEN_KEEPER;
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    // A local node: signals to its group. Kill returns once sent; the exit is reaped later.
    jepsen::systems::ProcessSpec spec;
    spec.argv = {"sleep", "600"};
    spec.log_path = "/dev/null";
    jepsen::systems::Process local(&loop, spec);
    (void)local.Start();
    struct {
      jepsen::systems::Process& p;
      uv_loop_t* loop;
      void Pause() { p.Pause(); }
      void Resume() { p.Resume(); }
      void Kill() {
        p.Kill();
        while (p.running()) uv_run(loop, UV_RUN_ONCE);  // reaped, as the keeper answers
      }
      void Start() { (void)p.Start(); }
    } node{local, &loop};
    Measure("local process", node, rounds, &loop);
    local.Kill();
  }
  {
    jepsen::systems::remote::RemoteProcess piped(&loop, {keeper, "--", "sleep", "600"}, "local",
                                                 "/dev/null");
    (void)piped.Start();
    Measure("keeper, local pipe", piped, rounds, &loop);
  }
  {
    jepsen::Result<std::unique_ptr<jepsen::testing::Fleet>> fleet =
        jepsen::testing::Fleet::Start(&loop, 3);
    if (!fleet.ok()) {
      std::printf("no SSH fleet here: %s\n", fleet.message().c_str());
      return 0;
    }
    std::vector<std::unique_ptr<jepsen::systems::remote::SshHost>> hosts;
    for (const std::string& name : (*fleet)->hosts()) {
      jepsen::Result<std::unique_ptr<jepsen::systems::remote::SshHost>> connected =
          jepsen::systems::remote::SshHost::Connect(&loop, name, (*fleet)->ssh_options(),
                                                    (*fleet)->dir(), (*fleet)->dir() + "/ssh.log",
                                                    10);
      if (!connected.ok()) {
        std::printf("%s\n", connected.message().c_str());
        return 1;
      }
      hosts.push_back(std::move(*connected));
    }
    std::unique_ptr<jepsen::systems::remote::SshHost>* host = &hosts[0];
    const std::string remote = (*fleet)->dir() + "/jepsen-keeper";
    (void)(*host)->Upload(keeper, remote);
    std::vector<double> commands;
    for (int i = 0; i < rounds; ++i)
      commands.push_back(Time([&] { (void)(*host)->Run("true", 10); }));
    Print("ssh command (ControlMaster)", "true", Summarize(commands));
    // A partition and its heal: nftables on the hosts against the run's own namespaces.
    // The nft commands go through each host's keeper, as a run's do.
    std::vector<std::unique_ptr<jepsen::systems::remote::RemoteProcess>> keepers;
    std::vector<jepsen::systems::remote::HostFirewall::Member> members;
    for (size_t i = 0; i < hosts.size(); ++i) {
      const std::string there = (*fleet)->dir() + "/jepsen-keeper-" + std::to_string(i);
      (void)hosts[i]->Upload(keeper, there);
      keepers.push_back(std::make_unique<jepsen::systems::remote::RemoteProcess>(
          &loop, hosts[i]->Argv("exec " + there + " -- sleep 600"), "host",
          (*fleet)->dir() + "/ssh.log"));
      (void)keepers.back()->Start();
      members.push_back({"n" + std::to_string(i + 1), keepers.back().get(), (*fleet)->hosts()[i],
                         "127.77.0.250", 22});
    }
    jepsen::systems::remote::HostFirewall firewall(members, "jepsen-run-bench");
    std::vector<double> cut, heal, cut3;
    for (int i = 0; i < rounds; ++i) {
      cut.push_back(Time([&] { (void)firewall.Partition({{"n1", {"clients"}}}); }));
      heal.push_back(Time([&] { (void)firewall.Heal(); }));
      cut3.push_back(Time([&] {
        (void)firewall.Partition({{"n1", {"n2", "n3"}}, {"n2", {"n1"}}, {"n3", {"n1"}}});
      }));
      (void)firewall.Heal();
    }
    Print("nftables over SSH", "partition", Summarize(cut));
    Print("nftables over SSH", "heal (3 hosts)", Summarize(heal));
    Print("nftables over SSH", "partition 3", Summarize(cut3));
    firewall.Remove();
    jepsen::Result<std::unique_ptr<jepsen::systems::netns::Network>> local =
        jepsen::systems::netns::Network::Create({"n1", "n2"}, "/dev/null");
    if (local.ok()) {
      cut.clear();
      heal.clear();
      for (int i = 0; i < rounds; ++i) {
        cut.push_back(Time([&] { (void)(*local)->Partition({{"n1", {"n2"}}, {"n2", {"n1"}}}); }));
        heal.push_back(Time([&] { (void)(*local)->Heal(); }));
      }
      Print("nftables, local namespaces", "partition", Summarize(cut));
      Print("nftables, local namespaces", "heal", Summarize(heal));
    }
    jepsen::systems::remote::RemoteProcess over_ssh(
        &loop, (*host)->Argv("exec " + remote + " -- sleep 600"), "host",
        (*fleet)->dir() + "/ssh.log");
    (void)over_ssh.Start();
    Measure("keeper over SSH", over_ssh, rounds, &loop);
    // A clock step and its reset: the node's keeper over SSH against FakeClock here.
    jepsen::systems::remote::RemoteProcess clocked(
        &loop,
        (*host)->Argv("exec " + remote + " --clock " + (*fleet)->dir() +
                      "/n1.faketime -- sleep 600"),
        "host", (*fleet)->dir() + "/ssh.log");
    jepsen::Result<std::unique_ptr<jepsen::systems::FakeClock>> here =
        jepsen::systems::FakeClock::Make((*fleet)->dir() + "/here.faketime");
    if (clocked.Start().ok() && here.ok()) {
      std::vector<double> step, reset, step_here, reset_here;
      for (int i = 0; i < rounds; ++i) {
        step.push_back(Time([&] { (void)clocked.SkewClock(0.5, 2); }));
        reset.push_back(Time([&] { (void)clocked.ResetClock(); }));
        step_here.push_back(Time([&] { (void)(*here)->Change(0.5, 2); }));
        reset_here.push_back(Time([&] { (void)(*here)->Reset(); }));
      }
      Print("clock, keeper over SSH", "step", Summarize(step));
      Print("clock, keeper over SSH", "reset", Summarize(reset));
      Print("clock, FakeClock here", "step", Summarize(step_here));
      Print("clock, FakeClock here", "reset", Summarize(reset_here));
    }
    over_ssh.Close();
    host->reset();
    MeasurePostgres(**fleet, rounds, &loop);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  return 0;
}
