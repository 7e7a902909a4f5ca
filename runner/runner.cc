#include "runner/runner.h"

#include <uv.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <optional>
#include <sstream>

#include "checker/faults.h"
#include "checker/report/atomic_file.h"
#include "checker/report/run_report.h"
#include "checker/report/store_index.h"
#include "diskfs/mounts.h"
#include "generator/client_clock.h"
#include "generator/combinators.h"
#include "history/jsonl.h"
#include "nemesis/nemesis.h"
#include "nemesis/options.h"
#include "runner/recorder.h"
#include "runner/run_options.h"
#include "runner/store_layout.h"
#include "systems/process.h"
#include "systems/systems.h"
#include "workloads/workload.h"

namespace jepsen::runner {
namespace {

namespace fs = std::filesystem;
using history::Json;
using std::chrono::duration_cast;
using std::chrono::nanoseconds;

// How long teardown (heal, kill, reap) may take before the record is written regardless.
constexpr double kTeardownSeconds = 15;

// "1.234 s": seconds for people, as precise as a run's log needs.
std::string SecondsText(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", seconds);
  return text;
}

const char* SignalName(int signal) { return signal == SIGINT ? "SIGINT" : "SIGTERM"; }

// An interrupted run did not finish: whatever was recorded, it proves nothing more than
// unknown (invalid stays invalid). Recorded as a check of its own so that the verdict is still
// the worst of the checks.
void AddInterruption(RunReport& report, const std::string& signal) {
  checker::CheckResult r;
  r.checker = "run";
  r.verdict = checker::Verdict::kUnknown;
  r.summary = "interrupted by " + signal + ": the run did not finish";
  r.explanation = "interrupted by " + signal +
                  "; what was recorded until then was checked, but an unfinished run proves "
                  "nothing more than unknown";
  r.facts = {{"interrupted_by", signal}};
  report.results.push_back(std::move(r));
  report.verdict = checker::Overall(report.results);
  report.interrupted = true;
}

nanoseconds Seconds(double s) {
  return duration_cast<nanoseconds>(std::chrono::duration<double>(s));
}

std::string ExecutableDir() {
  char buffer[4096];
  size_t size = sizeof buffer;
  if (uv_exepath(buffer, &size) != 0) return ".";
  return fs::path(std::string(buffer, size)).parent_path().string();
}

// Completes `results` with what checking the stored history decided (verdict, counts, checks)
// and writes it to report.dir/results.json, then report.html drawn from it.
Status WriteRecord(const RunReport& report, Json& results) {
  results["verdict"] = checker::ToString(report.verdict);
  results["exit_code"] = checker::ExitCode(report.verdict);
  results["history"] = "history.jsonl";
  Json& counts = results["counts"];
  if (!counts.is_object()) counts = Json::object();
  counts["ops"] = report.ops;
  counts["ok"] = report.ok;
  counts["fail"] = report.fail;
  counts["info"] = report.info;
  counts["faults"] = report.faults;
  counts["faults_by_kind"] = report.faults_by_kind;
  counts["failed_faults"] = report.failed_faults;
  results["checks"] = checker::ToJson(report.results);
  Status written =
      checker::report::WriteFileAtomically(report.dir + "/results.json", results.dump(2) + "\n");
  Status drawn = checker::report::WriteRunReport(report.dir, results);
  return written.ok() ? drawn : written;
}

// Reads report.dir/history.jsonl back and checks it: the verdict a run reports
// is always the verdict of what is on disk.
Status CheckStored(RunReport& report) {
  Result<history::History> history = history::ReadJsonl(report.dir + "/history.jsonl");
  if (!history.ok()) return history.status();
  report.ops = static_cast<int64_t>(history->ops.size());
  report.ok = report.fail = report.info = report.faults = report.failed_faults = 0;
  report.faults_by_kind.clear();
  for (const history::Op& op : history->ops) {
    if (op.outcome == history::EventType::kOk) ++report.ok;
    if (op.outcome == history::EventType::kFail) ++report.fail;
    if (op.outcome == history::EventType::kInfo) ++report.info;
  }
  const checker::FaultVocabulary vocabulary = checker::FaultVocabulary::Of(*history);
  for (const history::Event& e : history->events) {
    if (vocabulary.IsFault(e)) {
      ++report.faults;
      ++report.faults_by_kind[vocabulary.Begun(e)->name];
    }
    if (vocabulary.IsFailedFault(e)) ++report.failed_faults;
  }
  Result<std::vector<checker::CheckResult>> results =
      checker::CheckHistory(*history, checker::CheckOptions{});
  if (!results.ok()) return results.status();
  report.results = std::move(results).value();
  report.verdict = checker::Overall(report.results);
  return Status();
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// One test run on its own loop. Callbacks reach it through handle->data.
class TestRun : public nemesis::ClientControl {
 public:
  TestRun(const RunOptions& options, std::ostream& out, bool live)
      : options_(options), out_(out), live_(live), rng_(options.seed) {}

  Result<RunReport> Execute();

  // ClientControl, for fault packages that freeze clients: a frozen thread gets no op
  // from the generator, its op timeout stands still, and a reply that comes
  // meanwhile is held back; thawing delivers it (on the loop's next turn,
  // never inside the nemesis op) and the timeout runs on from where it stood.
  int clients() const override { return options_.concurrency; }
  Status Freeze(int thread) override;
  Status Thaw(int thread) override;
  // A thread's clock is what Ctx() hands its generator as the thread's ClientNow.
  Result<systems::ClockSetting> SkewClock(int thread, double step_s, double rate) override;
  Result<systems::ClockSetting> ResetClock(int thread) override;

 private:
  Status Prepare();
  systems::SetupContext BaseSetup() const;  // all but the loop and the run's paths
  nemesis::Plan NemesisPlan() const;        // all but the system's abilities and nodes
  void ExpandAll();                         // nemesis=all
  std::string typed_nemesis_;               // nemesis= as typed, when ExpandAll changed it
  Status CheckAbilities() const;
  Status BuildGenerator();
  void CatchSignals();
  Status StartSystem();
  void StartClients();
  Result<RunReport> CheckAndRecord(uint64_t began, const Counts& counts);
  void Pump();
  void InvokeClient(int thread, generator::Op op);
  void InvokeNemesis(generator::Op op);
  void Completed(int thread, uint64_t attempt, systems::Completion completion);
  void StartTimeout(int thread);
  void TimedOut(int thread);
  void Finish();
  void TearDown();
  void Thawed();
  void Interrupt(int signal);
  void CloseLoop();
  void ShowProgress(bool final_line);
  int64_t Now() const { return static_cast<int64_t>(uv_hrtime() - start_ns_); }
  generator::Context Ctx() const {
    for (size_t t = 0; t < ready_.size(); ++t) ready_[t] = client_free_[t] && !frozen_[t];
    return generator::Context(Now(), rng_, ready_, nemesis_free_, client_clocks_);
  }
  void Log(const std::string& line);
  bool OnlyFrozenBusy() const {  // some thread frozen, every other one free
    bool any = false;
    for (size_t t = 0; t < client_free_.size(); ++t) {
      if (frozen_[t]) {
        any = true;
      } else if (!client_free_[t]) {
        return false;
      }
    }
    return any;
  }
  bool AllFree() const {  // a frozen thread counts as busy: it will come back
    for (size_t t = 0; t < client_free_.size(); ++t) {
      if (!client_free_[t] || frozen_[t]) return false;
    }
    return true;
  }

  RunOptions options_;
  std::ostream& out_;
  bool live_;
  mutable generator::Rng rng_;
  std::string dir_;
  std::ofstream log_;
  uv_loop_t loop_{};
  uint64_t start_ns_ = 0;
  std::unique_ptr<systems::System> system_;
  std::vector<std::unique_ptr<systems::Client>> clients_;
  std::unique_ptr<nemesis::Nemesis> nemesis_;
  std::unique_ptr<Recorder> recorder_;
  workloads::Workload workload_;
  options::Values nemesis_options_;  // the nemesis' own (nemesis::Options()) but RunOptions' fields
  Json header_options_;              // the history header's `options`, for the fault packages too
  generator::GenPtr gen_;
  std::vector<bool> client_free_;
  std::vector<bool> frozen_;
  std::vector<generator::ClientClock> client_clocks_;  // per thread; real time unless skewed
  mutable std::vector<bool> ready_;  // free and not frozen: what the generator sees
  std::vector<std::optional<systems::Completion>> held_;  // replies to frozen threads
  std::vector<int64_t> deadline_ns_;      // per thread: when its op in flight times out (Now())
  std::vector<int64_t> timeout_left_ns_;  // per frozen thread with an op in flight; else -1
  std::vector<uint64_t> frozen_attempt_;
  std::vector<int> thawing_;  // threads to thaw on the loop's next turn
  uv_timer_t thaw_{};
  bool nemesis_free_ = true;
  std::vector<uint64_t> attempt_;  // per thread: which op is in flight; others' replies are late
  std::vector<std::unique_ptr<uv_timer_t>> timeouts_;
  uv_timer_t wake_{}, progress_{}, finish_{};
  uv_check_t turns_{};  // counts the loop's turns
  uint64_t turn_ = 0;
  uint64_t woken_turn_ = UINT64_MAX;  // the turn the wake last ran Pump in
  static void Woken(uv_timer_t* wake);
  uv_signal_t sigint_{}, sigterm_{};  // caught until the record is written
  uv_timer_t teardown_deadline_{};
  bool finished_ = false;
  bool interrupted_ = false;
  // Until the system is set up: a signal then (seen in a turn of the loop a setup takes)
  // ends the run once the setup returns, not from inside it.
  bool starting_ = true;
  bool latest_ = false;       // store/latest points here
  bool final_phase_ = false;  // the final heal came: recovery, then final reads
  int interrupt_signal_ = 0;
  bool teardown_stuck_ = false;  // the deadline passed with handles still open
  Status failure_;               // a recorder error ends the run early
};

void TestRun::Log(const std::string& line) {
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "[%8.3f] ", static_cast<double>(Now()) / 1e9);
  log_ << stamp << "jepsen-run: " << line << std::endl;
}

systems::SetupContext TestRun::BaseSetup() const {
  systems::SetupContext setup;
  setup.workload = workload_.name;
  setup.binary_dir = options_.binary_dir;
  setup.op_timeout_ms = static_cast<int64_t>(options_.op_timeout_s * 1000);
  (void)nemesis::Configure(NemesisPlan(), setup);  // unknown faults are refused before this
  return setup;
}

nemesis::Plan TestRun::NemesisPlan() const {
  nemesis::Plan plan;
  plan.faults = SplitCommas(options_.nemesis);
  plan.targets = SplitCommas(options_.targets);
  plan.interval = Seconds(options_.nemesis_interval_s);
  // Several faults overlap unless told not to, as Jepsen's combined nemesis.
  plan.overlap =
      nemesis_options_.Given("overlap") ? nemesis_options_.On("overlap") : plan.faults.size() > 1;
  plan.seed = options_.seed;
  plan.system = options_.system;
  plan.clients = options_.concurrency;
  plan.clients_keep_time = workload_.clients_keep_time;
  plan.run_options = header_options_;  // empty until the header is made
  plan.options = options::Values(nemesis::PackageOptions());
  for (const auto& [name, value] : nemesis_options_.all()) {
    if (plan.options.Has(name) && nemesis_options_.Given(name)) plan.options.Set(name, value);
  }
  return plan;
}

// nemesis=all: the faults the system can carry out here, asked of a setup made
// for every fault, named in nemesis= from here on (the header, the store's
// directory, the summary).
void TestRun::ExpandAll() {
  nemesis::Plan plan = NemesisPlan();
  if (std::find(plan.faults.begin(), plan.faults.end(), "all") == plan.faults.end()) return;
  plan.abilities = system_->abilities(BaseSetup());
  std::string named;
  for (const std::string& fault : nemesis::ExpandAll(plan)) {
    named += (named.empty() ? "" : ",") + fault;
  }
  typed_nemesis_ = options_.nemesis;
  options_.nemesis = named.empty() ? "none" : named;
}

// Faults and targets the system cannot carry out are usage errors before
// anything starts, never a run that quietly injects nothing.
Status TestRun::CheckAbilities() const {
  nemesis::Plan plan = NemesisPlan();
  plan.abilities = system_->abilities(BaseSetup());
  return nemesis::CheckSupported(plan);
}

// Everything that can be refused is refused here, before the run's directory exists.
Status TestRun::Prepare() {
  if (options_.concurrency < 1) return Status::Error("concurrency must be at least 1");
  if (options_.time_limit_s <= 0) return Status::Error("time-limit must be above 0");
  if (options_.seed == 0) options_.seed = uv_hrtime() | 1;
  rng_ = generator::Rng(options_.seed);
  if (options_.binary_dir.empty()) options_.binary_dir = ExecutableDir();

  Result<OwnedOptions> owned = ResolveOptions(options_);
  if (!owned.ok()) return owned.status();
  nemesis_options_ = owned->nemesis;
  Result<std::unique_ptr<systems::System>> system =
      systems::FindSystem(options_.system).value()->make(owned->system);
  if (!system.ok()) return system.status();
  system_ = std::move(system).value();
  if (Status s = system_->AdjustWorkload(options_.workload, owned->workload); !s.ok()) return s;
  workload_ = workloads::FindWorkload(options_.workload).value()->make(owned->workload);
  ExpandAll();
  if (Status s = CheckAbilities(); !s.ok()) return s;

  Result<std::string> dir = CreateRunDirectory(
      options_.store,
      options_.workload + "-" + (typed_nemesis_.empty() ? options_.nemesis : typed_nemesis_));
  if (!dir.ok()) return dir.status();
  dir_ = *dir;
  log_.open(dir_ + "/run.log", std::ios::app);
  if (!log_) return Status::Error(dir_ + "/run.log: cannot open");

  Json header = {{"workload", workload_.name},    {"system", options_.system},
                 {"nemesis", options_.nemesis},   {"seed", options_.seed},
                 {"started_at", UtcStamp(false)}, {"options", workload_.options}};
  header["options"].update(system_->HeaderOptions(workload_.name));
  header["options"]["concurrency"] = options_.concurrency;
  header["options"]["time_limit_s"] = options_.time_limit_s;
  header["options"]["rate"] = options_.rate;
  header["options"]["nemesis_interval_s"] = options_.nemesis_interval_s;
  header["options"]["op_timeout_s"] = options_.op_timeout_s;
  header["options"]["targets"] = options_.targets;
  header["options"]["overlap"] = NemesisPlan().overlap;
  header["options"]["nemesis_options"] = NemesisPlan().options.ToJson();
  header_options_ = header["options"];
  // The vocabulary of the faults asked for, so that checkers and reports read it from here.
  Result<std::vector<history::FaultKind>> kinds = nemesis::Vocabulary(NemesisPlan());
  if (!kinds.ok()) return kinds.status();
  header[std::string(history::kFaultKindsKey)] = history::FaultKindsJson(*kinds);
  auto recorder = Recorder::Create(dir_ + "/history.jsonl", header, options_.concurrency);
  if (!recorder.ok()) return recorder.status();
  recorder_ = std::move(recorder).value();
  return Status();
}

Status TestRun::BuildGenerator() {
  nemesis::Plan plan = NemesisPlan();
  plan.abilities = system_->abilities(BaseSetup());
  plan.nodes = system_->nodes();
  Result<nemesis::Schedule> schedule = nemesis::MakeSchedule(plan);
  if (!schedule.ok()) return schedule.status();
  Result<std::unique_ptr<nemesis::Nemesis>> made = nemesis::Nemesis::Make(plan, *system_, this);
  if (!made.ok()) return made.status();
  nemesis_ = std::move(made).value();
  generator::GenPtr clients = std::move(workload_.main);
  if (options_.rate > 0) clients = generator::Rate(options_.rate, std::move(clients));
  gen_ = generator::Then(
      generator::TimeLimit(Seconds(options_.time_limit_s),
                           generator::Any(generator::Clients(std::move(clients)),
                                          generator::Nemesis(std::move(schedule->main)))),
      generator::Phases(generator::Nemesis(std::move(schedule->heal)),
                        generator::Sleep(Seconds(options_.recovery_s)),
                        generator::Clients(std::move(workload_.final_reads))));
  return Status();
}

// libuv (1.44) runs every timer due in one pass over its timers, and the clock moves during the
// pass: when a nemesis call blocks longer than the generator's next wait (a partition over SSH
// on a loaded machine), the wake is due again at once, the pass never ends, and no client reply
// or signal is read until the faults stop. So a second wake in one turn of the loop waits for
// the next turn.
void TestRun::Woken(uv_timer_t* wake) {
  auto* self = static_cast<TestRun*>(wake->data);
  if (self->woken_turn_ == self->turn_) {
    uv_timer_start(wake, Woken, 1, 0);
    return;
  }
  self->woken_turn_ = self->turn_;
  self->Pump();
}

void TestRun::Pump() {
  while (!finished_ && !interrupted_ && failure_.ok()) {
    generator::Step step = gen_->Next(Ctx());
    if (step.is_invoke()) {
      if (step.for_nemesis()) {
        InvokeNemesis(std::move(step.op));
      } else {
        InvokeClient(step.thread, std::move(step.op));
      }
      continue;
    }
    if (step.is_pending()) {
      if (step.wake != generator::kNever) {
        const int64_t delay_ns = std::max<int64_t>(0, step.wake - Now());
        uv_update_time(&loop_);
        uv_timer_start(&wake_, Woken, static_cast<uint64_t>((delay_ns + 999'999) / 1'000'000), 0);
      } else if (AllFree() && nemesis_free_) {
        Log("generator is waiting with nothing running; ending the run");
        Finish();
      } else if (nemesis_free_ && OnlyFrozenBusy()) {
        // The main phase ended with a client frozen mid-op: the resume that was
        // due is cut off, and the phase waits for that op. Thaw it now.
        for (const nemesis::Applied& a : nemesis_->ReleaseClients()) {
          Log("main phase over with clients frozen: " + a.f + " " +
              (a.error.empty() ? a.value.dump() : "failed: " + a.error));
          if (Status s = recorder_->Nemesis(a.f, a.value, Now(), a.error, a.fault); !s.ok()) {
            failure_ = s;
          }
        }
      }
      return;
    }
    if (AllFree()) Finish();  // exhausted: done once nothing is in flight
    return;
  }
  if (!failure_.ok() || interrupted_) Finish();
}

void TestRun::InvokeClient(int thread, generator::Op op) {
  if (!latest_) {  // store/latest is the newest run that got as far as an op
    latest_ = true;
    if (Status s = PointLatestAt(options_.store, dir_); !s.ok()) Log(s.message());
  }
  client_free_[thread] = false;
  const uint64_t attempt = ++attempt_[thread];
  const int64_t now = Now();
  Result<int64_t> process = recorder_->Invoke(thread, op.f, op.key, op.value, now);
  if (!process.ok()) {
    failure_ = process.status();
    return;
  }
  deadline_ns_[thread] = now + Seconds(options_.op_timeout_s).count();
  StartTimeout(thread);
  clients_[thread]->Invoke(
      {op.f, op.key, op.value, *process},
      [this, thread, attempt](systems::Completion c) { Completed(thread, attempt, std::move(c)); });
}

void TestRun::InvokeNemesis(generator::Op op) {
  nemesis_free_ = false;
  const nemesis::Applied done = nemesis_->Apply(op);
  Log("nemesis " + done.f + " " +
      (done.error.empty() ? done.value.dump() : "failed: " + done.error));
  Status s = recorder_->Nemesis(done.f, done.value, Now(), done.error, done.fault);
  if (!s.ok()) failure_ = s;
  nemesis_free_ = true;
  if (nemesis::IsHealAll(op) && !finished_) {  // the final heal
    final_phase_ = true;
    // The final reads must find the system whole again, not still electing.
    const uint64_t began = uv_hrtime();
    Status healthy = system_->AwaitHealthy(30);
    Log(healthy.ok()
            ? "healthy again after " + SecondsText(static_cast<double>(uv_hrtime() - began) / 1e9)
            : "not healthy after the heal: " + healthy.message());
  }
  history::Event event;
  event.type = history::EventType::kInfo;
  event.process = history::kNemesis;
  event.f = done.f;
  event.value = done.value;
  event.error = done.error;
  gen_->Update(Ctx(), generator::kNemesisThread, event);
}

void TestRun::Completed(int thread, uint64_t attempt, systems::Completion c) {
  if (finished_ || client_free_[thread] || attempt != attempt_[thread]) return;  // late
  if (frozen_[thread]) {
    held_[thread] = std::move(c);
    return;
  }
  uv_timer_stop(timeouts_[thread].get());
  Result<history::Event> event = recorder_->Complete(thread, c.type, c.value, c.error, Now());
  if (!event.ok()) {
    failure_ = event.status();
    Finish();
    return;
  }
  client_free_[thread] = true;
  gen_->Update(Ctx(), thread, *event);
  Pump();
}

// Arms the thread's op timeout for what is left until its deadline. The loop's
// clock is brought up to date first: after a blocking call (a system's
// AwaitReady, a nemesis asking who leads) it is stale, and a timer started
// from it would fire at once.
void TestRun::StartTimeout(int thread) {
  uv_update_time(&loop_);
  const int64_t left_ns = std::max<int64_t>(0, deadline_ns_[thread] - Now());
  uv_timer_start(
      timeouts_[thread].get(),
      [](uv_timer_t* t) {
        auto* self = static_cast<TestRun*>(t->data);
        int thread = 0;
        while (self->timeouts_[thread].get() != t) ++thread;
        self->TimedOut(thread);
      },
      static_cast<uint64_t>((left_ns + 999'999) / 1'000'000), 0);
}

void TestRun::TimedOut(int thread) {
  if (finished_ || client_free_[thread]) return;
  // The loop's clock counts whole milliseconds: an op recorded as timed out must have waited
  // its whole timeout by the history's clock.
  if (Now() < deadline_ns_[thread]) return StartTimeout(thread);
  ++attempt_[thread];  // its reply, if it ever comes, is late
  Result<history::Event> event =
      recorder_->Complete(thread, history::EventType::kInfo, nullptr, "timed out", Now());
  if (!event.ok()) {
    failure_ = event.status();
    Finish();
    return;
  }
  client_free_[thread] = true;
  gen_->Update(Ctx(), thread, *event);
  Pump();
}

Status TestRun::Freeze(int thread) {
  if (thread < 0 || thread >= options_.concurrency)
    return Status::Error("no client thread " + std::to_string(thread));
  if (frozen_[thread])
    return Status::Error("client thread " + std::to_string(thread) + " is already frozen");
  frozen_[thread] = true;
  clients_[thread]->Freeze();
  timeout_left_ns_[thread] = -1;
  if (!client_free_[thread]) {
    timeout_left_ns_[thread] = std::max<int64_t>(0, deadline_ns_[thread] - Now());
    uv_timer_stop(timeouts_[thread].get());
    frozen_attempt_[thread] = attempt_[thread];
  }
  return Status();
}

Result<systems::ClockSetting> TestRun::SkewClock(int thread, double step_s, double rate) {
  if (thread < 0 || thread >= options_.concurrency)
    return Status::Error("no client thread " + std::to_string(thread));
  if (!(rate > 0)) return Status::Error("a client clock's rate must be above 0");
  const int64_t now = Now();
  generator::ClientClock& clock = client_clocks_[thread];
  clock = clock.Changed(now, step_s, rate);
  return systems::ClockSetting{clock.offset_s(now), clock.rate()};
}

Result<systems::ClockSetting> TestRun::ResetClock(int thread) {
  if (thread < 0 || thread >= options_.concurrency)
    return Status::Error("no client thread " + std::to_string(thread));
  generator::ClientClock& clock = client_clocks_[thread];
  const systems::ClockSetting was{clock.offset_s(Now()), clock.rate()};
  clock = generator::ClientClock();
  return was;
}

Status TestRun::Thaw(int thread) {
  if (thread < 0 || thread >= options_.concurrency || !frozen_[thread]) {
    return Status::Error("client thread " + std::to_string(thread) + " is not frozen");
  }
  if (std::find(thawing_.begin(), thawing_.end(), thread) == thawing_.end()) {
    thawing_.push_back(thread);
  }
  if (!finished_) {
    uv_timer_start(
        &thaw_, [](uv_timer_t* t) { static_cast<TestRun*>(t->data)->Thawed(); }, 0, 0);
  }
  return Status();
}

void TestRun::Thawed() {
  std::vector<int> threads;
  threads.swap(thawing_);
  for (int thread : threads) {
    if (finished_) return;
    frozen_[thread] = false;
    clients_[thread]->Thaw();  // may complete the op in flight right here
    if (held_[thread]) {
      systems::Completion c = std::move(*held_[thread]);
      held_[thread].reset();
      Completed(thread, attempt_[thread], std::move(c));
    } else if (!client_free_[thread] && attempt_[thread] == frozen_attempt_[thread] &&
               timeout_left_ns_[thread] >= 0) {
      deadline_ns_[thread] = Now() + timeout_left_ns_[thread];  // it stood still meanwhile
      StartTimeout(thread);
    }
    timeout_left_ns_[thread] = -1;
  }
  Pump();
}

// The first SIGINT/SIGTERM ends the run: heal, kill every node, check what was
// recorded, write the record. Later ones are caught and change nothing, so a
// second Ctrl-C cannot lose results.json and report.html; the signals stay
// caught (the handles open, unreferenced) until the record is written.
void TestRun::Interrupt(int signal) {
  const char* name = SignalName(signal);
  if (interrupted_ || finished_) {  // finished: everything was recorded already
    Log(std::string(name) + " again: still stopping; results.json and report.html follow");
    out_ << "\njepsen-run: already stopping; the record of what ran is being written\n"
         << std::flush;
    return;
  }
  interrupted_ = true;
  interrupt_signal_ = signal;
  if (starting_) {  // inside the system's setup (a turn of the loop it took): ends after it
    Log(std::string("interrupted by ") + name + " while the system starts");
    out_ << "\njepsen-run: " << name << ": stopping once the system's setup returns\n"
         << std::flush;
    return;
  }
  Log(std::string("interrupted by ") + name + "; ops in flight stay open (read as info)");
  out_ << "\njepsen-run: " << name
       << ": stopping (healing, killing every node), then checking what was recorded\n"
       << std::flush;
  Finish();
}

// "main 5.0/10 s · ok ...": the main phase against its limit; after it, which
// phase the run is in and how long it has run ("final reads · 11.2 s").
void TestRun::ShowProgress(bool final_line) {
  const Counts& c = recorder_->counts();
  const double t = static_cast<double>(Now()) / 1e9;
  char phase[80];
  if (!final_line && !final_phase_ && t <= options_.time_limit_s) {
    std::snprintf(phase, sizeof phase, "main %5.1f/%g s", t, options_.time_limit_s);
  } else {
    const char* name = final_line     ? "stopped"
                       : final_phase_ ? "final reads"
                                      : "main phase over, ops in flight";
    std::snprintf(phase, sizeof phase, "%s · %.1f s", name, t);
  }
  char line[240];
  std::snprintf(line, sizeof line, "%s · ok %lld · fail %lld · info %lld · faults %lld", phase,
                static_cast<long long>(c.ok), static_cast<long long>(c.fail),
                static_cast<long long>(c.info), static_cast<long long>(c.faults));
  if (live_) {
    out_ << "\r" << line << "   " << (final_line ? "\n" : "") << std::flush;
  } else {
    out_ << line << std::endl;
  }
}

// Finish is often reached from inside a client's completion callback, so the
// clients are torn down on the next loop turn, never under their own stack.
void TestRun::Finish() {
  if (finished_) return;
  finished_ = true;
  uv_timer_start(
      &finish_, [](uv_timer_t* t) { static_cast<TestRun*>(t->data)->TearDown(); }, 0, 0);
}

void TestRun::TearDown() {
  uv_timer_stop(&progress_);
  ShowProgress(true);
  // Heal before teardown so no process is left stopped, then kill everything.
  if (nemesis_ && !nemesis_->healed()) {
    recorder_->Nemesis(nemesis::HealAll().f, nemesis_->Heal(), Now(), "");
  }
  clients_.clear();
  system_->Teardown();
  Log("stopping; every node killed");
  for (auto& t : timeouts_) uv_close(reinterpret_cast<uv_handle_t*>(t.get()), nullptr);
  for (uv_handle_t* h :
       {reinterpret_cast<uv_handle_t*>(&wake_), reinterpret_cast<uv_handle_t*>(&progress_),
        reinterpret_cast<uv_handle_t*>(&finish_), reinterpret_cast<uv_handle_t*>(&thaw_),
        reinterpret_cast<uv_handle_t*>(&turns_)}) {
    uv_close(h, nullptr);
  }
  // The loop ends once every node is reaped; a node that cannot be (stuck in the kernel) must
  // not keep the run from writing its record.
  uv_unref(reinterpret_cast<uv_handle_t*>(&sigint_));
  uv_unref(reinterpret_cast<uv_handle_t*>(&sigterm_));
  uv_timer_start(
      &teardown_deadline_,
      [](uv_timer_t* t) {
        auto* self = static_cast<TestRun*>(t->data);
        self->teardown_stuck_ = true;
        self->Log("teardown: not everything stopped within " +
                  std::to_string(static_cast<int>(kTeardownSeconds)) +
                  " s; writing the record without waiting");
        uv_stop(&self->loop_);
      },
      static_cast<uint64_t>(kTeardownSeconds * 1000), 0);
  uv_unref(reinterpret_cast<uv_handle_t*>(&teardown_deadline_));
}

// SIGINT and SIGTERM end the run through Interrupt().
void TestRun::CatchSignals() {
  for (auto [handle, signal] : {std::pair{&sigint_, SIGINT}, std::pair{&sigterm_, SIGTERM}}) {
    uv_signal_init(&loop_, handle);
    handle->data = this;
    uv_signal_start(
        handle, [](uv_signal_t* h, int sig) { static_cast<TestRun*>(h->data)->Interrupt(sig); },
        signal);
  }
}

// The system set up and ready, and the generator built for it.
Status TestRun::StartSystem() {
  systems::SetupContext setup = BaseSetup();
  setup.loop = &loop_;
  setup.data_dir = dir_ + "/data";
  setup.log_path = dir_ + "/run.log";
  // A run killed outright (SIGKILL) leaves its jepsen-diskfs mounts behind, stale.
  Result<std::vector<std::string>> stale = diskfs::UnmountStaleDiskfsUnder(options_.store);
  for (const std::string& mount : stale.ok() ? *stale : std::vector<std::string>{}) {
    Log("detached a stale jepsen-diskfs mount left by a killed run: " + mount);
  }
  if (!stale.ok()) Log(stale.message());
  Status started = system_->Setup(setup);
  if (started.ok()) started = system_->AwaitReady(10);
  if (started.ok()) started = BuildGenerator();
  return started;
}

// Each thread's state, client and timeout timer; the run's own timers, progress shown from now.
void TestRun::StartClients() {
  client_free_.assign(options_.concurrency, true);
  frozen_.assign(options_.concurrency, false);
  client_clocks_.assign(options_.concurrency, generator::ClientClock());
  ready_.assign(options_.concurrency, true);
  held_.assign(options_.concurrency, std::nullopt);
  timeout_left_ns_.assign(options_.concurrency, -1);
  deadline_ns_.assign(options_.concurrency, 0);
  frozen_attempt_.assign(options_.concurrency, 0);
  attempt_.assign(options_.concurrency, 0);
  for (int t = 0; t < options_.concurrency; ++t) {
    clients_.push_back(system_->NewClient(t));
    timeouts_.push_back(std::make_unique<uv_timer_t>());
    uv_timer_init(&loop_, timeouts_.back().get());
    timeouts_.back()->data = this;
  }
  for (uv_timer_t* t : {&wake_, &progress_, &thaw_, &finish_}) {
    uv_timer_init(&loop_, t);
    t->data = this;
  }
  uv_check_init(&loop_, &turns_);  // counts the loop's turns, for Woken
  turns_.data = this;
  uv_check_start(&turns_, [](uv_check_t* c) { ++static_cast<TestRun*>(c->data)->turn_; });
  uv_unref(reinterpret_cast<uv_handle_t*>(&turns_));
  uv_timer_start(
      &progress_, [](uv_timer_t* t) { static_cast<TestRun*>(t->data)->ShowProgress(false); },
      live_ ? 250 : 5000, live_ ? 250 : 5000);
}

// The verdict on what was recorded, and the record of the run written.
Result<RunReport> TestRun::CheckAndRecord(uint64_t began, const Counts& counts) {
  RunReport report;
  report.dir = dir_;
  report.elapsed_s = static_cast<double>(uv_hrtime() - began) / 1e9;
  report.interrupted = interrupted_;
  // Check what was recorded, read back exactly as jepsen-check would.
  const uint64_t checking = uv_hrtime();
  Status checked = CheckStored(report);
  report.check_s = static_cast<double>(uv_hrtime() - checking) / 1e9;
  if (!checked.ok()) return checked;
  if (interrupted_) AddInterruption(report, SignalName(interrupt_signal_));
  Json by_f = Json::object();
  for (const auto& [f, types] : counts.by_f) by_f[f] = types;
  // results.json's `bugs`: the planted bugs the system recorded in the header (refstore's).
  Json results = {{"workload", options_.workload},
                  {"system", options_.system},
                  {"nemesis", options_.nemesis},
                  {"seed", options_.seed},
                  {"bugs", header_options_.value("bugs", Json::array())},
                  {"interrupted", interrupted_},
                  {"elapsed_s", report.elapsed_s},
                  {"counts", {{"by_f", by_f}}}};
  if (interrupted_) results["interrupted_by"] = SignalName(interrupt_signal_);
  // For people: results.json, report.html and store/index.html. The verdict never waits on
  // them, but a record that could not be written is an error.
  Status recorded = WriteRecord(report, results);
  Status indexed = checker::report::WriteStoreIndex(options_.store);
  if (!recorded.ok() || !indexed.ok()) {
    report.write_error = !recorded.ok() ? recorded.message() : indexed.message();
    Log(report.write_error);
  }
  Log("verdict " + std::string(checker::ToString(report.verdict)));
  return report;
}

Result<RunReport> TestRun::Execute() {
  if (Status s = Prepare(); !s.ok()) return s;
  systems::IgnoreSigpipe();  // a node or adapter that dies must not take the run with it
  uv_loop_init(&loop_);
  start_ns_ = uv_hrtime();
  Log("run " + dir_ + " seed " + std::to_string(options_.seed));
  // Caught from here on: a Ctrl-C while the system starts ends the run as one during it does.
  CatchSignals();
  uv_timer_init(&loop_, &teardown_deadline_);
  teardown_deadline_.data = this;

  Status started = StartSystem();
  starting_ = false;
  if (started.ok() && interrupted_) {
    started = Status::Error(std::string("interrupted by ") + SignalName(interrupt_signal_) +
                            " while the system was starting: nothing ran");
  }
  if (!started.ok()) {
    system_->Teardown();
    system_.reset();
    CloseLoop();
    return started;
  }
  StartClients();
  const uint64_t began = uv_hrtime();
  Pump();
  uv_run(&loop_, UV_RUN_DEFAULT);  // ends when Finish() closed everything and the nodes are reaped
  if (!teardown_stuck_) {
    system_.reset();  // its handles close on the loop's next turns
    uv_run(&loop_, UV_RUN_DEFAULT);
  }
  const Counts counts = recorder_->counts();
  recorder_.reset();
  if (!failure_.ok()) {
    CloseLoop();
    return failure_;
  }

  Result<RunReport> report = CheckAndRecord(began, counts);
  CloseLoop();
  return report;
}

// Closes what is left on the loop, the signal handlers last (until now a signal is caught and
// ignored), and the loop itself; after a stuck teardown, whatever would not stop is left behind.
void TestRun::CloseLoop() {
  for (uv_handle_t* h :
       {reinterpret_cast<uv_handle_t*>(&sigint_), reinterpret_cast<uv_handle_t*>(&sigterm_),
        reinterpret_cast<uv_handle_t*>(&teardown_deadline_)}) {
    if (!uv_is_closing(h)) uv_close(h, nullptr);
  }
  if (teardown_stuck_) {
    uv_run(&loop_, UV_RUN_NOWAIT);
    return;
  }
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

}  // namespace

Result<RunReport> Run(const RunOptions& options, std::ostream& out, bool live) {
  TestRun run(options, out, live);
  return run.Execute();
}

std::vector<Violation> Violations(const RunReport& report) {
  std::vector<Violation> out;
  for (const checker::CheckResult& r : report.results) {
    if (r.verdict != checker::Verdict::kInvalid) continue;
    for (const checker::Violation& v : r.violations) {
      out.push_back({r.checker, v.kind, v.key, v.text});
    }
    if (r.failure) out.push_back({r.checker, "linearizability", r.failure->key, r.explanation});
  }
  return out;
}

Result<RunReport> Replay(const std::string& dir) {
  RunReport report;
  report.dir = dir;
  const auto began = std::chrono::steady_clock::now();
  if (Status s = CheckStored(report); !s.ok()) return s;
  report.check_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  // results.json keeps what only the run knew (workload, seed, counts by f, how long it ran...).
  Json results = Json::object();
  std::error_code error;  // a results.json that is no file (a directory) cannot be read: rebuilt
  if (std::ifstream in(dir + "/results.json");
      in && fs::is_regular_file(dir + "/results.json", error)) {
    results = Json::parse(in, nullptr, false);
    if (!results.is_object()) results = Json::object();  // damaged: rebuilt from the history
  }
  if (results["elapsed_s"].is_number()) report.elapsed_s = results["elapsed_s"].get<double>();
  results["rechecked"] = true;
  if (results["interrupted"] == true) {
    const Json& by = results["interrupted_by"];
    AddInterruption(report, by.is_string() ? by.get<std::string>() : "a signal");
  }
  if (Status s = WriteRecord(report, results); !s.ok()) report.write_error = s.message();
  return report;
}

}  // namespace jepsen::runner
