// The run's own network (systems/netns): a lossy link really drops a share of
// what a node is sent, a slow one really holds back what exceeds its rate, and
// both are gone once switched off. Measured with UDP datagrams from the
// clients' namespace to a node's. Needs root (ip netns, nft, tc).
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "systems/netns/network.h"

namespace jepsen::systems::netns {
namespace {

#define REQUIRE_ROOT() \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: it makes network namespaces (ip netns)"

struct Socket {
  int fd = -1;
  std::string address;
  int port = 0;
  int error = 0;
};

int OpenUdp(void* arg) {
  Socket& s = *static_cast<Socket*>(arg);
  s.fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s.fd < 0) return s.error = errno;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(s.port));
  ::inet_pton(AF_INET, s.address.c_str(), &a.sin_addr);
  if (::bind(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) return s.error = errno;
  return 0;
}

// How many of `count` datagrams of `size` bytes sent at once from the clients'
// namespace reach node n1 within a second and a half of the last.
int Delivered(Network& net, int count, size_t size) {
  const std::string path = "/run/netns/" + net.namespace_of("n1");
  const int node_ns = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_GE(node_ns, 0) << path;
  Socket receiver{-1, net.address("n1"), 7799, 0};
  EXPECT_EQ(InNamespace(node_ns, OpenUdp, &receiver), 0) << std::strerror(receiver.error);
  ::close(node_ns);
  Socket sender{-1, "0.0.0.0", 0, 0};
  EXPECT_EQ(InNamespace(net.clients_fd(), OpenUdp, &sender), 0) << std::strerror(sender.error);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(7799);
  ::inet_pton(AF_INET, net.address("n1").c_str(), &to.sin_addr);
  const std::string payload(size, 'x');
  auto send = [&] {
    ::sendto(sender.fd, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to),
             sizeof(to));
  };
  timeval wait{1, 500'000};
  ::setsockopt(receiver.fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof(wait));
  char buffer[2048];
  // One first, so that the neighbours know each other (ARP) before the count.
  send();
  (void)::recv(receiver.fd, buffer, sizeof(buffer), 0);
  int got = 0;
  std::thread receiving([&] {  // drained as it comes, so no receive buffer overflows
    while (::recv(receiver.fd, buffer, sizeof(buffer), 0) > 0) ++got;
  });
  for (int i = 0; i < count; ++i) {
    send();
    if (i % 20 == 19) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  receiving.join();
  ::close(sender.fd);
  ::close(receiver.fd);
  return got;
}

class LinkFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_ROOT();
    log_ = std::filesystem::temp_directory_path() / ("jepsen-netns-" + std::to_string(::getpid()));
    Result<std::unique_ptr<Network>> made = Network::Create({"n1", "n2"}, log_);
    ASSERT_TRUE(made.ok()) << made.message();
    net_ = std::move(made).value();
  }
  void TearDown() override {
    net_.reset();
    std::filesystem::remove(log_);
  }
  std::string log_;
  std::unique_ptr<Network> net_;
};

TEST_F(LinkFaults, ALossyLinkDropsAboutItsShareAndStopsWhenSwitchedOff) {
  ASSERT_EQ(Delivered(*net_, 400, 100), 400) << "a healthy link loses nothing";
  ASSERT_TRUE(net_->SetLoss("n1", 50).ok());
  const int lossy = Delivered(*net_, 400, 100);
  EXPECT_GT(lossy, 120) << "about half get through";
  EXPECT_LT(lossy, 280) << "about half are dropped";
  ASSERT_TRUE(net_->Heal().ok());
  EXPECT_LT(Delivered(*net_, 400, 100), 300) << "a partition's heal leaves the lossy link";
  ASSERT_TRUE(net_->SetLoss("n1", 0).ok());
  EXPECT_EQ(Delivered(*net_, 400, 100), 400) << "switched off";
  Status all = net_->SetLoss("n1", 100);  // loss-percent's top (numgen's range ends at 99)
  ASSERT_TRUE(all.ok()) << all.message();
  EXPECT_EQ(Delivered(*net_, 400, 100), 0);
}

TEST_F(LinkFaults, ASlowLinkHoldsBackWhatExceedsItsRateAndStopsWhenSwitchedOff) {
  // 300 KB at once: at 64 kbit/s a link passes ~8 KB a second and queues a second of it.
  ASSERT_EQ(Delivered(*net_, 300, 1000), 300);
  ASSERT_TRUE(net_->SetRate("n1", 64).ok());
  const int slow = Delivered(*net_, 300, 1000);
  EXPECT_GT(slow, 0) << "a slow link still carries some";
  EXPECT_LT(slow, 60) << "what exceeds a second's queue at 64 kbit/s is dropped";
  ASSERT_TRUE(net_->SetRate("n1", 0).ok());
  EXPECT_EQ(Delivered(*net_, 300, 1000), 300) << "switched off";
  EXPECT_TRUE(net_->SetRate("n1", 0).ok()) << "switching off twice is no error";
}

}  // namespace
}  // namespace jepsen::systems::netns
