#include "tests/support/run_support.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "history/jsonl.h"

namespace jepsen::testing {

namespace fs = std::filesystem;

namespace {

// Stems (<tmp>/<name>-<pid>) of the store directories handed out by StoreDir.
std::set<std::string>& Stems() {
  static std::set<std::string> stems;
  return stems;
}

// Runs leave hundreds of MB behind (etcd preallocates its WAL), so when every test passed they
// are removed; after a failure they stay, for the run directory its message names.
class RemoveStoresWhenAllPassed : public ::testing::Environment {
 public:
  void TearDown() override {
    if (!::testing::UnitTest::GetInstance()->Passed()) return;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(::testing::TempDir(), error)) {
      const std::string path = entry.path().string();
      for (const std::string& stem : Stems()) {
        // <stem> itself or <stem>-...; not the stem of another pid that merely starts alike.
        if (path == stem || path.rfind(stem + "-", 0) == 0) fs::remove_all(entry.path(), error);
      }
    }
  }
};

[[maybe_unused]] const ::testing::Environment* const kRemoveStores =
    ::testing::AddGlobalTestEnvironment(new RemoveStoresWhenAllPassed);

}  // namespace

std::string StoreDir(const std::string& name) {
  std::string stem =
      (fs::path(::testing::TempDir()) / (name + "-" + std::to_string(::getpid()))).string();
  Stems().insert(stem);
  return stem;
}

runner::RunReport MustRun(const runner::RunOptions& options) {
  std::ostringstream out;
  Result<runner::RunReport> report = runner::Run(options, out, false);
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.message());
  return report.ok() ? report.value() : runner::RunReport{};
}

std::string Explain(const runner::RunReport& report) {
  std::string text;
  for (const auto& c : report.results) {
    text += c.checker + ": " + c.summary + "\n" + c.explanation + "\n";
  }
  // The run log shows when faults struck: what a failure in CI needs to be understood.
  std::ifstream log(report.dir + "/run.log");
  if (log) text += std::string(std::istreambuf_iterator<char>(log), {});
  return text + "(run in " + report.dir + ")";
}

history::Json StoredResults(const runner::RunReport& report) {
  history::Json results =
      history::Json::parse(std::ifstream(report.dir + "/results.json"), nullptr, false);
  EXPECT_TRUE(results.is_object()) << report.dir << "/results.json: missing or not an object";
  return results.is_object() ? results : history::Json();
}

Timeouts OpTimeouts(const runner::RunReport& report, double op_timeout_s) {
  Timeouts out;
  Result<history::History> h = history::ReadJsonl(report.dir + "/history.jsonl");
  EXPECT_TRUE(h.ok()) << (h.ok() ? "" : h.message());
  if (!h.ok()) return out;
  const auto timeout_ns = static_cast<int64_t>(op_timeout_s * 1e9);
  for (const history::Op& op : h->ops) {
    const history::Event* done = h->completion(op);
    if (done == nullptr || done->error != "timed out") continue;
    ++out.timed_out;
    const int64_t waited = done->time - h->invocation(op).time;
    if (waited < timeout_ns) {
      out.early.push_back(history::Describe(*done) + " after " + std::to_string(waited) + " ns");
    }
  }
  return out;
}

std::vector<int> ProcessesMentioning(const std::string& text) {
  std::vector<int> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (cmdline.find(text) == std::string::npos || std::stoi(name) == ::getpid()) continue;
    // A zombie is dead already; only one still running counts.
    std::ifstream stat(entry.path() / "stat");
    std::string line((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    size_t close = line.rfind(')');
    if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z') continue;
    pids.push_back(std::stoi(name));
  }
  return pids;
}

std::vector<std::string> ProcessesWorkingIn(const std::string& dir) {
  std::vector<std::string> left;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/proc", error)) {
    const std::string pid = entry.path().filename();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code no_cwd;
    const std::string cwd = fs::read_symlink(entry.path() / "cwd", no_cwd).string();
    if (no_cwd || cwd.rfind(dir, 0) != 0) continue;
    std::ifstream in(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), {});
    const size_t paren = stat.rfind(')');
    if (paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z') continue;
    left.push_back("process " + pid + " in " + cwd);
  }
  return left;
}

void UseTaskstore(runner::RunOptions& options, const std::string& unsafe) {
  const std::string example = std::string(JEPSEN_SOURCE_DIR) + "/examples/taskstore";
  options.system = "exec";
  options.options.Set("node-cmd",
                      "python3 " + example +
                          "/taskstore_node.py --host {host} --port {port} --data {data_dir}" +
                          (unsafe.empty() ? "" : " --unsafe " + unsafe));
  options.options.Set("client-cmd", "python3 " + example + "/taskstore_adapter.py");
}

std::vector<std::string> NamespacesOf(int pid) {
  std::vector<std::string> left;
  std::error_code error;
  const std::string prefix = "jepsen-" + std::to_string(pid) + "-";
  for (const auto& entry : std::filesystem::directory_iterator("/run/netns", error)) {
    if (entry.path().filename().string().rfind(prefix, 0) == 0) {
      left.push_back(entry.path().filename());
    }
  }
  return left;
}

}  // namespace jepsen::testing
