// The recorder: processes numbered as Jepsen numbers them, faults counted by
// the one definition of a fault.
#include "runner/recorder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "history/jsonl.h"

namespace jepsen::runner {
namespace {

namespace fs = std::filesystem;

std::string TempHistory(const std::string& name) {
  const fs::path path =
      fs::path(::testing::TempDir()) / (name + "-" + std::to_string(::getpid()) + ".jsonl");
  fs::remove(path);
  return path.string();
}

// Thread t starts as process t; after an info it is process old + threads, so thread =
// process mod threads.
TEST(Recorder, NumbersProcessesAsJepsenDoes) {
  const std::string path = TempHistory("recorder-processes");
  auto recorder = Recorder::Create(path, Json{{"options", {{"concurrency", 3}}}}, 3);
  ASSERT_TRUE(recorder.ok()) << recorder.message();
  Recorder& r = **recorder;
  int64_t time = 0;
  auto op = [&](int thread, EventType outcome) {
    Result<int64_t> process = r.Invoke(thread, "read", 0, nullptr, ++time);
    EXPECT_TRUE(process.ok());
    EXPECT_TRUE(r.Complete(thread, outcome, nullptr, "", ++time).ok());
    return process.ok() ? *process : -1;
  };
  EXPECT_EQ(op(0, EventType::kOk), 0);
  EXPECT_EQ(op(1, EventType::kInfo), 1);
  EXPECT_EQ(op(1, EventType::kFail), 4) << "after an info: 1 + 3 threads";
  EXPECT_EQ(op(1, EventType::kInfo), 4);
  EXPECT_EQ(op(1, EventType::kOk), 7);
  EXPECT_EQ(op(2, EventType::kInfo), 2);
  EXPECT_EQ(op(2, EventType::kOk), 5);
  EXPECT_EQ(op(0, EventType::kOk), 0) << "ok and fail keep the process";
  fs::remove(path);
}

TEST(Recorder, AFaultThatFailedIsNotCounted) {
  const std::string path = TempHistory("recorder-faults");
  auto recorder = Recorder::Create(path, Json::object(), 1);
  ASSERT_TRUE(recorder.ok()) << recorder.message();
  ASSERT_TRUE((*recorder)->Nemesis("kill", Json::array({"n1"}), 1, "").ok());
  ASSERT_TRUE((*recorder)->Nemesis("start", Json::array({"n1"}), 2, "").ok());
  ASSERT_TRUE((*recorder)->Nemesis("partition", Json::array({"n1"}), 3, "cannot partition").ok());
  EXPECT_EQ((*recorder)->counts().faults, 1);
  EXPECT_EQ((*recorder)->counts().failed_faults, 1);
  fs::remove(path);
}

// The header's fault vocabulary (written from the run's fault packages) decides what counts,
// and each nemesis event is written with its kind, which the history reads back.
TEST(Recorder, CountsFaultsByTheHeadersVocabularyAndTagsEachEvent) {
  const std::string path = TempHistory("recorder-vocabulary");
  Json header = {{"workload", "register"}};
  header["faults"] =
      history::FaultKindsJson({{"power", "disk", {"power"}, {"start"}, true, "", ""}});
  auto recorder = Recorder::Create(path, header, 1);
  ASSERT_TRUE(recorder.ok()) << recorder.message();
  ASSERT_TRUE((*recorder)->Nemesis("power", Json::array({"n1"}), 1, "", "power").ok());
  ASSERT_TRUE((*recorder)->Nemesis("kill", Json::array({"n1"}), 2, "").ok());
  ASSERT_TRUE((*recorder)->Nemesis("start", Json::array({"n1"}), 3, "", "power").ok());
  EXPECT_EQ((*recorder)->counts().faults, 1) << "power counts here, kill does not";
  recorder->reset();
  Result<history::History> h = history::ReadJsonl(path);
  ASSERT_TRUE(h.ok()) << h.message();
  EXPECT_EQ(history::FaultTag(h->events[0]), "power");
  EXPECT_EQ(history::FaultTag(h->events[1]), "");
  EXPECT_EQ(history::FaultTag(h->events[2]), "power");

  header["faults"] = {{"power", {{"begins", "power"}}}};
  auto bad = Recorder::Create(TempHistory("recorder-bad-vocabulary"), header, 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("faults.power.begins"), std::string::npos) << bad.message();
  fs::remove(path);
}

}  // namespace
}  // namespace jepsen::runner
