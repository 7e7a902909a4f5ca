// A node started with FakeClock's environment (libfaketime preloaded, its own
// control file) reads clocks that move by the step and run at the rate set,
// both CLOCK_REALTIME and CLOCK_MONOTONIC, continuously across changes, and
// real time again after a reset.
#include "systems/clock/fake_clock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace jepsen::systems {
namespace {

struct Sample {
  double real_rt, fake_rt, real_mono, fake_mono;
};

// Runs the probe with the clock's environment; `meanwhile` acts on the clock while it runs.
class Probe {
 public:
  Probe(const FakeClock& clock, int duration_ms) {
    std::string command = "env";
    for (const std::string& e : clock.env()) command += " '" + e + "'";
    command += " " JEPSEN_CLOCK_PROBE " " + std::to_string(duration_ms) + " 10";
    pipe_ = ::popen(command.c_str(), "r");
  }
  std::vector<Sample> Finish() {
    std::vector<Sample> samples;
    Sample s{};
    while (std::fscanf(pipe_, "%lf %lf %lf %lf", &s.real_rt, &s.fake_rt, &s.real_mono,
                       &s.fake_mono) == 4) {
      samples.push_back(s);
    }
    EXPECT_EQ(::pclose(pipe_), 0);
    return samples;
  }

 private:
  FILE* pipe_ = nullptr;
};

void Sleep(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

class FakeClockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!LibFaketime().ok()) GTEST_SKIP() << LibFaketime().message();
    dir_ =
        std::filesystem::temp_directory_path() / ("fake_clock_test." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<FakeClock> Make() {
    Result<std::unique_ptr<FakeClock>> clock = FakeClock::Make((dir_ / "n1.faketime").string());
    EXPECT_TRUE(clock.ok()) << clock.message();
    return clock.ok() ? std::move(*clock) : nullptr;
  }
  std::filesystem::path dir_;
};

// The realtime offset (fake - real) at the sample nearest `real` seconds after the first.
double OffsetAt(const std::vector<Sample>& samples, double real) {
  const double t0 = samples.front().real_rt;
  for (const Sample& s : samples) {
    if (s.real_rt - t0 >= real) return s.fake_rt - s.real_rt;
  }
  return samples.back().fake_rt - samples.back().real_rt;
}

// How fast the node's clocks ran between `from` and `to` seconds after the first sample:
// {realtime rate, monotonic rate}.
std::pair<double, double> RatesBetween(const std::vector<Sample>& samples, double from, double to) {
  const double t0 = samples.front().real_rt;
  const Sample* a = nullptr;
  const Sample* b = nullptr;
  for (const Sample& s : samples) {
    if (a == nullptr && s.real_rt - t0 >= from) a = &s;
    if (s.real_rt - t0 <= to) b = &s;
  }
  return {(b->fake_rt - a->fake_rt) / (b->real_rt - a->real_rt),
          (b->fake_mono - a->fake_mono) / (b->real_mono - a->real_mono)};
}

TEST_F(FakeClockTest, AStepMovesBothClocksAtOnceAndAResetUndoesIt) {
  std::unique_ptr<FakeClock> clock = Make();
  ASSERT_NE(clock, nullptr);
  Probe probe(*clock, 1200);
  Sleep(400);
  Result<ClockSetting> set = clock->Change(5, 1);
  ASSERT_TRUE(set.ok()) << set.message();
  EXPECT_NEAR(set->offset_s, 5, 1e-3);
  Sleep(400);
  Result<ClockSetting> before = clock->Reset();
  ASSERT_TRUE(before.ok());
  EXPECT_NEAR(before->offset_s, 5, 1e-3);
  std::vector<Sample> samples = probe.Finish();
  ASSERT_GT(samples.size(), 60u);
  EXPECT_NEAR(OffsetAt(samples, 0.2), 0, 0.005);
  EXPECT_NEAR(OffsetAt(samples, 0.6), 5, 0.005);
  EXPECT_NEAR(OffsetAt(samples, 1.0), 0, 0.005);
  // The monotonic clock stepped with it: between 0.2 s and 0.6 s it gained 5 s.
  const double t0 = samples.front().real_rt;
  const Sample* a = nullptr;
  const Sample* b = nullptr;
  for (const Sample& s : samples) {
    if (a == nullptr && s.real_rt - t0 >= 0.2) a = &s;
    if (b == nullptr && s.real_rt - t0 >= 0.6) b = &s;
  }
  EXPECT_NEAR((b->fake_mono - a->fake_mono) - (b->real_mono - a->real_mono), 5, 0.005);
}

TEST_F(FakeClockTest, ARateRunsBothClocksFasterOrSlowerWithoutJumps) {
  std::unique_ptr<FakeClock> clock = Make();
  ASSERT_NE(clock, nullptr);
  Probe probe(*clock, 1500);
  Sleep(300);
  ASSERT_TRUE(clock->Change(0, 4).ok());
  Sleep(500);
  ASSERT_TRUE(clock->Change(0, 0.5).ok());
  Sleep(500);
  Result<ClockSetting> before = clock->Reset();
  ASSERT_TRUE(before.ok());
  EXPECT_NEAR(before->rate, 0.5, 1e-9);
  // 0.5 s at x4 (+1.5 s), then 0.5 s at x0.5 (-0.25 s).
  EXPECT_NEAR(before->offset_s, 1.25, 0.05);
  std::vector<Sample> samples = probe.Finish();
  ASSERT_GT(samples.size(), 80u);
  auto [rt1, mono1] = RatesBetween(samples, 0.05, 0.25);
  EXPECT_NEAR(rt1, 1, 0.05);
  EXPECT_NEAR(mono1, 1, 0.05);
  auto [rt4, mono4] = RatesBetween(samples, 0.4, 0.75);
  EXPECT_NEAR(rt4, 4, 0.1);
  EXPECT_NEAR(mono4, 4, 0.1);
  auto [rth, monoh] = RatesBetween(samples, 0.9, 1.25);
  EXPECT_NEAR(rth, 0.5, 0.05);
  EXPECT_NEAR(monoh, 0.5, 0.05);
  // Continuous until the reset: no sample to the next moves the clock backwards or more than
  // the fastest rate explains (+ 15 ms).
  for (size_t i = 1; i < samples.size() && samples[i].real_rt - samples[0].real_rt < 1.25; ++i) {
    const double real = samples[i].real_rt - samples[i - 1].real_rt;
    const double fake = samples[i].fake_rt - samples[i - 1].fake_rt;
    EXPECT_GT(fake, 0) << "sample " << i;
    EXPECT_LT(fake, 4 * real + 0.015) << "sample " << i;
  }
  EXPECT_NEAR(OffsetAt(samples, 1.45), 0, 0.005);  // reset: real time again
}

// A process without libfaketime (this test's own) is named, so a fault on it is not counted.
// The clock is the node's: a process started while it runs fast (a restart) reads it where the
// last one left it, and it keeps its rate.
TEST_F(FakeClockTest, AProcessStartedLaterReadsTheSameClock) {
  std::unique_ptr<FakeClock> clock = Make();
  ASSERT_NE(clock, nullptr);
  ASSERT_TRUE(clock->Change(0, 3).ok());
  Sleep(300);
  Probe later(*clock, 300);
  std::vector<Sample> samples = later.Finish();
  ASSERT_GT(samples.size(), 20u);
  // About 0.6 s after 300 ms at x3; the offset when the last sample was taken, which came a
  // little before now (much before, on a loaded machine: the offset grows 2 s a second).
  const ClockSetting now = clock->now();
  const double real_now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const double expected = now.offset_s - (real_now - samples.back().real_rt) * (now.rate - 1);
  EXPECT_NEAR(samples.back().fake_rt - samples.back().real_rt, expected, 0.03);
  EXPECT_NEAR(RatesBetween(samples, 0.05, 0.25).first, 3, 0.1);
  EXPECT_NEAR(RatesBetween(samples, 0.05, 0.25).second, 3, 0.1);
}

TEST_F(FakeClockTest, AProcessWithoutLibfaketimeIsNamed) {
  EXPECT_TRUE(CheckPreloaded(0).ok()) << "a node that is down starts preloaded";
  Status self = CheckPreloaded(::getpid());
  ASSERT_FALSE(self.ok());
  EXPECT_NE(self.message().find("has no libfaketime loaded"), std::string::npos) << self.message();
  std::unique_ptr<FakeClock> clock = Make();
  ASSERT_NE(clock, nullptr);
  std::string command = "env";
  for (const std::string& e : clock->env()) command += " '" + e + "'";
  FILE* preloaded = ::popen((command + " sh -c 'cat /proc/$$/maps'").c_str(), "r");
  std::string maps;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, preloaded)) > 0;) maps.append(buffer, n);
  ::pclose(preloaded);
  EXPECT_NE(maps.find("libfaketime"), std::string::npos) << "the node's environment preloads it";
}

std::vector<std::string> FaketimeFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator("/dev/shm")) {
    const std::string name = entry.path().filename().string();
    if (name.find("faketime") != std::string::npos) files.push_back(name);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// libfaketime leaves a semaphore and shared memory in /dev/shm behind a process it made them
// for that is SIGKILLed; a node uses the clock's own pair, removed with the clock.
TEST_F(FakeClockTest, AKilledNodeLeavesNothingInDevShm) {
  const std::vector<std::string> before = FaketimeFiles();
  {
    std::unique_ptr<FakeClock> clock = Make();
    ASSERT_NE(clock, nullptr);
    EXPECT_GT(FaketimeFiles().size(), before.size()) << "the clock's own pair";
    std::string command = "env";
    for (const std::string& e : clock->env()) command += " '" + e + "'";
    EXPECT_NE(std::system((command + " sh -c 'date >/dev/null; kill -9 $$'").c_str()), 0);
  }
  EXPECT_EQ(FaketimeFiles(), before);
}

}  // namespace
}  // namespace jepsen::systems
