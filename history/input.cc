#include "history/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "history/load.h"

namespace jepsen::history {
namespace {

constexpr size_t kChunk = size_t{4} << 20;

}  // namespace

std::string MaxUnitText() { return std::to_string(kMaxUnitBytes >> 20) + " MiB"; }

Input::Input(int fd, std::string source, size_t size_hint)
    : fd_(fd), source_(std::move(source)), size_hint_(size_hint) {}

Result<Input> Input::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": cannot open: " + std::strerror(errno));
  struct stat st;
  size_t size = 0;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    size = static_cast<size_t>(st.st_size);
  }
  return Input(fd, path, size);
}

Input Input::FromText(std::string_view text, std::string source) {
  Input in(-1, std::move(source), text.size());
  in.capacity_ = text.size() + kPadding;
  in.buffer_.reset(new char[in.capacity_]);
  std::memcpy(in.buffer_.get(), text.data(), text.size());
  std::memset(in.buffer_.get() + text.size(), 0, kPadding);
  in.end_ = text.size();
  in.at_end_ = true;
  in.SkipByteOrderMark();
  return in;
}

void Input::SkipByteOrderMark() {
  constexpr std::string_view kMark = "\xEF\xBB\xBF";
  if (checked_mark_ || (data().size() < kMark.size() && !at_end_)) return;
  checked_mark_ = true;
  if (data().substr(0, kMark.size()) == kMark) Consume(kMark.size());
}

Input::Input(Input&& other) noexcept { *this = std::move(other); }

Input& Input::operator=(Input&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    source_ = std::move(other.source_);
    size_hint_ = other.size_hint_;
    buffer_ = std::move(other.buffer_);
    capacity_ = std::exchange(other.capacity_, 0);
    begin_ = other.begin_;
    end_ = other.end_;
    at_end_ = other.at_end_;
    total_read_ = other.total_read_;
    deadline_ = other.deadline_;
    checked_mark_ = other.checked_mark_;
  }
  return *this;
}

Input::~Input() {
  if (fd_ >= 0) ::close(fd_);
}

Status Input::ReadMore() {
  if (at_end_) return Status();
  if (deadline_ && std::chrono::steady_clock::now() >= *deadline_) {
    return Status::Error(source_ + ": " + std::string(kTimeLimitWhileReading) + " after " +
                         std::to_string(total_read_ >> 20) + " MiB");
  }
  // Keep what is unconsumed at the front; grow only for a long unit.
  const size_t kept = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, kept);
    begin_ = 0;
    end_ = kept;
  }
  // A small file is read whole at once (one byte more: to see its end).
  const size_t chunk = size_hint_ > 0 ? std::min(kChunk, size_hint_ + 1) : kChunk;
  const size_t want = std::max(chunk, kept);
  if (capacity_ < kept + want + kPadding) {
    capacity_ = kept + want + kPadding;
    std::unique_ptr<char[]> bigger(new char[capacity_]);
    if (kept > 0) std::memcpy(bigger.get(), buffer_.get(), kept);
    buffer_ = std::move(bigger);
  }
  while (true) {
    const ssize_t n = ::read(fd_, buffer_.get() + end_, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Error(source_ + ": read failed: " + std::strerror(errno));
    }
    if (n == 0) {
      at_end_ = true;
      ::close(fd_);
      fd_ = -1;
    }
    end_ += static_cast<size_t>(n);
    total_read_ += static_cast<size_t>(n);
    std::memset(buffer_.get() + end_, 0, kPadding);
    SkipByteOrderMark();
    return Status();
  }
}

}  // namespace jepsen::history
