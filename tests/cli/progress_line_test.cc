#include "cli/progress_line.h"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>

namespace jepsen::cli {
namespace {

using checker::linearizable::Progress;
using namespace std::chrono_literals;

TEST(ProgressText, PartsOpsAndTime) {
  Progress p;
  EXPECT_EQ(ProgressText("h.jsonl", p, 2.5), "h.jsonl: checking · 2.50 s");
  p.parts = 1000;
  p.parts_decided = 999;
  p.ops = 1234567;
  p.ops_linearized = 1234000;
  EXPECT_EQ(ProgressText("h.jsonl", p, 75),
            "h.jsonl: 999/1,000 parts done · 1,234,000/1,234,567 ops linearized · 1 min 15 s");
}

TEST(ProgressText, ALongLabelIsShortenedFromItsStartToFitALine) {
  Progress p;
  p.parts = 1;
  p.ops = 10;
  const std::string label = "/a/very/long/directory/" + std::string(80, 'd') + "/history.jsonl";
  const std::string text = ProgressText(label, p, 3);
  EXPECT_EQ(text.find("…"), 0u) << text;
  EXPECT_NE(text.find("/history.jsonl: 0/1 part done · 0/10 ops linearized · 3.00 s"),
            std::string::npos)
      << text;
  size_t columns = 0;  // UTF-8 continuation bytes take none
  for (char c : text) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  EXPECT_EQ(columns, 79u);
}

TEST(ProgressLine, DrawnAfterTheDelayInPlaceAndErased) {
  Progress p;
  p.parts = 2;
  std::ostringstream out;
  ProgressLine line(out, "h", p, ProgressLine::Clock::now(), 0ms, 5ms);
  std::this_thread::sleep_for(50ms);
  line.Stop();
  const std::string text = out.str();
  EXPECT_EQ(text.find("\rh: 0/2 parts done · 0/0 ops linearized · "), 0u) << text;
  EXPECT_GT(std::count(text.begin(), text.end(), '\r'), 3);  // redrawn
  const std::string erase = "\r\x1b[K";
  ASSERT_GE(text.size(), erase.size());
  EXPECT_EQ(text.substr(text.size() - erase.size()), erase);
  line.Stop();  // again: nothing more
  EXPECT_EQ(out.str(), text);
}

TEST(ProgressLine, NothingWhenDoneBeforeTheDelay) {
  Progress p;
  std::ostringstream out;
  {
    ProgressLine line(out, "h", p, ProgressLine::Clock::now(), 10s, 5ms);
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace jepsen::cli
