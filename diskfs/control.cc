#include "diskfs/control.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace jepsen::diskfs {
namespace {

Result<std::pair<sockaddr_un, socklen_t>> AddressOf(const std::string& address) {
  sockaddr_un sun{};
  sun.sun_family = AF_UNIX;
  if (address.empty() || address.size() >= sizeof sun.sun_path) {
    return Status::Error("control address '" + address + "' is empty or longer than " +
                         std::to_string(sizeof sun.sun_path - 1) + " bytes");
  }
  std::memcpy(sun.sun_path, address.data(), address.size());
  if (address[0] == '@') sun.sun_path[0] = '\0';  // abstract: no file
  const socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address.size() +
                                                  (address[0] != '@'));
  return std::pair{sun, length};
}

// Answers each line of one connection until it closes.
void Converse(int fd, const std::function<std::string(const std::string&)>& handle) {
  std::string pending;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    pending.append(buffer, static_cast<size_t>(n));
    for (size_t newline; (newline = pending.find('\n')) != std::string::npos;) {
      std::string command = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      if (!command.empty() && command.back() == '\r') command.pop_back();
      const std::string reply = handle(command) + "\n";
      for (size_t done = 0; done < reply.size();) {
        const ssize_t w = ::send(fd, reply.data() + done, reply.size() - done, MSG_NOSIGNAL);
        if (w <= 0) return;
        done += static_cast<size_t>(w);
      }
    }
  }
}

}  // namespace

Status ServeControl(const std::string& address,
                    std::function<std::string(const std::string& command)> handle) {
  auto where = AddressOf(address);
  if (!where.ok()) return where.status();
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Error(std::string("socket: ") + std::strerror(errno));
  if (address[0] != '@') ::unlink(address.c_str());  // one left by a killed run
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&where->first), where->second) != 0 ||
      ::listen(fd, 8) != 0) {
    const std::string error = std::strerror(errno);
    ::close(fd);
    return Status::Error("control address " + address + ": " + error);
  }
  std::thread([fd, handle = std::move(handle)] {
    for (;;) {
      const int connection = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (connection < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;
      }
      Converse(connection, handle);  // one at a time: commands are short
      ::close(connection);
    }
  }).detach();
  return Status();
}

Result<std::string> SendControl(const std::string& address, const std::string& command,
                                int timeout_ms) {
  auto where = AddressOf(address);
  if (!where.ok()) return where.status();
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Error(std::string("socket: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&where->first), where->second) != 0) {
    return Status::Error("diskfs control " + address + ": " + std::strerror(errno));
  }
  const std::string line = command + "\n";
  if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) {
    return Status::Error("diskfs control " + address + ": cannot send: " + std::strerror(errno));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string reply;
  char buffer[4096];
  while (reply.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) == 0) {
      return Status::Error("diskfs control " + address + ": no reply to '" + command + "' within " +
                           std::to_string(timeout_ms) + " ms");
    }
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) {
      return Status::Error("diskfs control " + address + ": closed before replying to '" + command +
                           "'");
    }
    reply.append(buffer, static_cast<size_t>(n));
  }
  reply.resize(reply.find('\n'));
  return reply;
}

}  // namespace jepsen::diskfs
