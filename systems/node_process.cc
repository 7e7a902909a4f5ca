#include "systems/node_process.h"

namespace jepsen::systems {
namespace {

class LocalProcess : public NodeProcess {
 public:
  LocalProcess(uv_loop_t* loop, ProcessSpec spec) : process_(loop, std::move(spec)) {}
  Status Start() override { return process_.Start(); }
  Status Kill() override {
    process_.Kill();  // its exit is reaped by the loop
    return Status();
  }
  Status Pause() override {
    process_.Pause();
    return Status();
  }
  Status Resume() override {
    process_.Resume();
    return Status();
  }
  // A crash the loop has not reaped yet counts: a caller waiting inside a callback sees it.
  bool running() const override { return process_.running() && !process_.CrashedUnreaped(); }
  bool paused() const override { return process_.paused(); }
  int pid() const override { return process_.pid(); }
  bool local() const override { return true; }
  std::string RecentOutput() const override { return process_.RecentOutput(); }

 private:
  Process process_;
};

}  // namespace

std::unique_ptr<NodeProcess> LocalNodeProcess(uv_loop_t* loop, ProcessSpec spec) {
  return std::make_unique<LocalProcess>(loop, std::move(spec));
}

}  // namespace jepsen::systems
