#include "cli/progress_line.h"

#include <algorithm>

#include "cli/duration_text.h"

namespace jepsen::cli {
namespace {

constexpr size_t kColumns = 79;  // a terminal's 80 less one: no wrap, so "\r" redraws in place
constexpr char kErase[] = "\r\x1b[K";

// Columns taken on a terminal: UTF-8 continuation bytes take none.
size_t Columns(const std::string& text) {
  size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string Thousands(size_t n) {
  std::string digits = std::to_string(n);
  for (size_t i = digits.size(); i > 3; i -= 3) digits.insert(i - 3, ",");
  return digits;
}

}  // namespace

std::string ProgressText(const std::string& label, const checker::linearizable::Progress& progress,
                         double elapsed_seconds) {
  const size_t parts = progress.parts.load();
  std::string status;
  if (parts == 0) {
    status = "checking";  // a checker that reports no parts (leases, checkpoints)
  } else {
    status = Thousands(progress.parts_decided.load()) + "/" + Thousands(parts) +
             (parts == 1 ? " part" : " parts") + " done · " +
             Thousands(progress.ops_linearized.load()) + "/" + Thousands(progress.ops.load()) +
             " ops linearized";
  }
  status += " · " + DurationText(elapsed_seconds);
  // The label's room: what the status leaves, but enough to recognise it.
  const size_t room =
      std::max<size_t>(16, kColumns > Columns(status) + 2 ? kColumns - Columns(status) - 2 : 0);
  std::string shown = label;
  if (Columns(shown) > room) {
    size_t cut = 0;  // drop whole characters from the start until "…" and the rest fit
    while (cut < shown.size() && Columns(shown.substr(cut)) + 1 > room) {
      ++cut;
      while (cut < shown.size() && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) ++cut;
    }
    shown = "…" + shown.substr(cut);
  }
  return shown + ": " + status;
}

ProgressLine::ProgressLine(std::ostream& out, std::string label,
                           const checker::linearizable::Progress& progress, Clock::time_point start,
                           Clock::duration delay, Clock::duration period)
    : out_(out),
      label_(std::move(label)),
      progress_(progress),
      start_(start),
      delay_(delay),
      period_(period) {
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_until(lock, start_ + delay_, [this] { return stopping_; })) return;
    do {
      Draw();
    } while (!wake_.wait_for(lock, period_, [this] { return stopping_; }));
  });
}

ProgressLine::~ProgressLine() { Stop(); }

void ProgressLine::Draw() {
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  out_ << "\r" << ProgressText(label_, progress_, elapsed) << "\x1b[K" << std::flush;
  shown_ = true;
}

void ProgressLine::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (shown_) {
    out_ << kErase << std::flush;
    shown_ = false;
  }
}

}  // namespace jepsen::cli
