#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "systems/refstore/server.h"

namespace jepsen::systems::refstore {
namespace {

// Runs a server on its own loop thread; the test talks to it over a socket.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("refstore-server-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    uv_loop_init(&loop_);
    ServerOptions options;
    options.store.path = (dir_ / "db").string();
    auto server = Server::Start(&loop_, options);
    ASSERT_TRUE(server.ok()) << server.message();
    server_ = std::move(server).value();
    uv_async_init(&loop_, &stop_, [](uv_async_t* a) {
      auto* self = static_cast<ServerTest*>(a->data);
      self->server_->Close();
      uv_close(reinterpret_cast<uv_handle_t*>(a), nullptr);
    });
    stop_.data = this;
    thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
  }
  void TearDown() override {
    if (fd_ >= 0) ::close(fd_);
    uv_async_send(&stop_);
    thread_.join();
    server_.reset();
    uv_loop_close(&loop_);
    std::filesystem::remove_all(dir_);
  }

  void Connect() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(server_->port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  }
  void Send(const std::string& text) {
    ASSERT_EQ(::write(fd_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  std::string ReadLine() {
    while (buffer_.find('\n') == std::string::npos) {
      char chunk[4096];
      ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n <= 0) return "";
      buffer_.append(chunk, static_cast<size_t>(n));
    }
    size_t end = buffer_.find('\n');
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 1);
    return line;
  }
  Reply Call(const Request& request) {
    Send(ToLine(request));
    auto reply = ParseReply(ReadLine());
    EXPECT_TRUE(reply.ok()) << reply.message();
    return reply.ok() ? reply.value() : Reply{};
  }

  std::filesystem::path dir_;
  uv_loop_t loop_{};
  uv_async_t stop_{};
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int fd_ = -1;
  std::string buffer_;
};

TEST_F(ServerTest, AnswersRequestsByIdOverLoopback) {
  Connect();
  EXPECT_EQ(Call({5, "register", "write", "x", 42}).type, "ok");
  Reply read = Call({6, "register", "read", "x", nullptr});
  EXPECT_EQ(read.id, 6u);
  EXPECT_EQ(read.value, 42);
}

TEST_F(ServerTest, PipelinedRequestsAllGetAnswers) {
  Connect();
  std::string batch;
  for (uint64_t i = 1; i <= 50; ++i) {
    batch += ToLine(Request{i, "checkpoints", "checkpoint", "s", {{"seq", i}}});
  }
  Send(batch);
  for (uint64_t i = 1; i <= 50; ++i) {
    auto reply = ParseReply(ReadLine());
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->id, i);
    EXPECT_EQ(reply->type, "ok");
  }
  EXPECT_EQ(Call({99, "checkpoints", "read", "s", nullptr}).value, Json({{"seq", 50}}));
}

TEST_F(ServerTest, MalformedLinesGetAFailReplyAndTheConnectionLivesOn) {
  Connect();
  Send("this is not json\n");
  auto reply = ParseReply(ReadLine());
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->type, "fail");
  EXPECT_NE(reply->error.find("malformed request"), std::string::npos);
  EXPECT_EQ(Call({7, "register", "read", "x", nullptr}).type, "ok");
}

// A server that cannot start says why and leaves nothing behind that aborts (it used to close
// handles it had never made: an assertion in uv_close).
TEST(ServerStart, APortInUseOrAnUnusableDataDirIsAnErrorNotAnAbort) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ("refstore-start-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  uv_loop_t loop;
  uv_loop_init(&loop);
  ServerOptions first;
  first.store.path = (dir / "a.db").string();
  auto serving = Server::Start(&loop, first);
  ASSERT_TRUE(serving.ok()) << serving.message();
  ServerOptions same_port;
  same_port.port = (*serving)->port();
  same_port.store.path = (dir / "b.db").string();
  auto in_use = Server::Start(&loop, same_port);
  ASSERT_FALSE(in_use.ok());
  EXPECT_NE(in_use.message().find("cannot listen on 127.0.0.1:" + std::to_string(same_port.port)),
            std::string::npos)
      << in_use.message();
  ServerOptions no_dir;
  no_dir.store.path = "/nonexistent/refstore/db";
  auto unusable = Server::Start(&loop, no_dir);
  ASSERT_FALSE(unusable.ok());
  EXPECT_NE(unusable.message().find("/nonexistent/refstore/db"), std::string::npos)
      << unusable.message();
  (*serving)->Close();
  uv_run(&loop, UV_RUN_DEFAULT);
  serving.value().reset();
  EXPECT_EQ(uv_loop_close(&loop), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace jepsen::systems::refstore
