#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "systems/uv/helpers.h"

namespace jepsen::systems::uv {
namespace {

struct Loop {
  uv_loop_t loop{};
  Loop() { uv_loop_init(&loop); }
  ~Loop() {
    uv_run(&loop, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop), 0) << "a handle was left open";
  }
};

TEST(After, RunsOnceLaterNeverInsideTheCaller) {
  Loop l;
  std::vector<int> order;
  After(&l.loop, 20, [&] { order.push_back(2); });
  After(&l.loop, 0, [&] { order.push_back(1); });
  EXPECT_TRUE(order.empty());
  const uint64_t began = uv_hrtime();
  uv_run(&l.loop, UV_RUN_DEFAULT);  // ends once both fired and their timers are freed
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_GE(uv_hrtime() - began, 19'000'000u);
}

TEST(Timers, ThoseNotFiredDieWithTheirOwner) {
  Loop l;
  int fired = 0;
  auto timers = std::make_unique<Timers>(&l.loop);
  timers->After(0, [&] { ++fired; });
  timers->After(60'000, [&] { ++fired; });  // would hold the loop for a minute
  uv_run(&l.loop, UV_RUN_NOWAIT);
  EXPECT_EQ(fired, 1);
  timers.reset();
  uv_run(&l.loop, UV_RUN_DEFAULT);  // returns at once: nothing is left
  EXPECT_EQ(fired, 1);
}

TEST(Timers, AFiringTimerMayDestroyItsOwner) {
  Loop l;
  auto timers = std::make_unique<Timers>(&l.loop);
  bool fired = false;
  timers->After(0, [&] {
    fired = true;
    timers.reset();
  });
  uv_run(&l.loop, UV_RUN_DEFAULT);
  EXPECT_TRUE(fired);
}

TEST(Lines, CutsAtNewlinesAcrossChunksAndKeepsTheRest) {
  Lines lines;
  std::vector<std::string> got;
  auto take = [&](std::string_view line) {
    got.emplace_back(line);
    return true;
  };
  lines.Feed("a\nb", take);
  EXPECT_EQ(got, std::vector<std::string>{"a"});
  EXPECT_EQ(lines.partial(), 1u);
  lines.Feed("c\n\nd\n", take);
  EXPECT_EQ(got, (std::vector<std::string>{"a", "bc", "", "d"}));
  EXPECT_EQ(lines.partial(), 0u);
  lines.Feed("e", take);
  lines.Clear();
  lines.Feed("f\n", take);
  EXPECT_EQ(got.back(), "f");
}

TEST(Lines, StoppingLeavesTheRestForTheNextFeed) {
  Lines lines;
  std::vector<std::string> got;
  lines.Feed("1\n2\n3", [&](std::string_view line) {
    got.emplace_back(line);
    return false;
  });
  EXPECT_EQ(got, std::vector<std::string>{"1"});
  lines.Feed("\n", [&](std::string_view line) {
    got.emplace_back(line);
    return true;
  });
  EXPECT_EQ(got, (std::vector<std::string>{"1", "2", "3"}));
  // A callback that clears what is buffered (a peer found broken) ends the feed safely.
  lines.Feed("x\ny\n", [&](std::string_view) {
    lines.Clear();
    return true;
  });
  EXPECT_EQ(lines.partial(), 0u);
}

TEST(Write, DeliversTheWholeStringAndFreesIt) {
  Loop l;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  auto* pipe = new uv_pipe_t;
  uv_pipe_init(&l.loop, pipe, 0);
  uv_pipe_open(pipe, fds[1]);
  const std::string data(100'000, 'x');
  EXPECT_EQ(Write(reinterpret_cast<uv_stream_t*>(pipe), data), 0);
  std::string read;
  while (read.size() < data.size()) {
    uv_run(&l.loop, UV_RUN_NOWAIT);
    char buffer[65536];
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    ASSERT_GT(n, 0);
    read.append(buffer, static_cast<size_t>(n));
  }
  EXPECT_EQ(read, data);
  CloseAndDelete(pipe);
  uv_run(&l.loop, UV_RUN_DEFAULT);
  ::close(fds[0]);
}

TEST(FreeLoopbackPort, CanBeListenedOn) {
  Result<int> port = FreeLoopbackPort();
  ASSERT_TRUE(port.ok()) << port.message();
  EXPECT_GT(*port, 0);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(*port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ::close(fd);
}

// Outside the ephemeral range (an etcd member once found its peer port taken, most likely as
// the source port of another member's connection), and never the same port twice.
TEST(FreeLoopbackPort, IsBelowTheEphemeralRangeAndNeverGivenTwice) {
  int ephemeral = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral;
  std::set<int> seen;
  for (int i = 0; i < 300; ++i) {
    Result<int> port = FreeLoopbackPort();
    ASSERT_TRUE(port.ok()) << port.message();
    if (ephemeral > 11000) {
      EXPECT_LT(*port, ephemeral);
    }
    EXPECT_TRUE(seen.insert(*port).second) << "port " << *port << " given twice";
  }
}

}  // namespace
}  // namespace jepsen::systems::uv
