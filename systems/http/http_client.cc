#include "systems/http/http_client.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <mutex>
#include <vector>

#include "systems/netns/network.h"
#include "systems/uv/helpers.h"

namespace jepsen::systems::http {
namespace {

CURLM* Multi(void* m) { return static_cast<CURLM*>(m); }

size_t Append(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Opens curl's sockets inside the namespace whose fd is `clientp`.
curl_socket_t OpenInNamespace(void* clientp, curlsocktype, curl_sockaddr* address) {
  const int fd = netns::SocketIn(static_cast<int>(reinterpret_cast<intptr_t>(clientp)),
                                 address->family, address->socktype, address->protocol);
  return fd < 0 ? CURL_SOCKET_BAD : fd;
}

void UseNamespace(CURL* e, int netns_fd) {
  if (netns_fd < 0) return;
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &OpenInNamespace);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA,
                   reinterpret_cast<void*>(static_cast<intptr_t>(netns_fd)));
}

}  // namespace

struct Client::Transfer {
  uint64_t id = 0;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  std::string response;
  char error[CURL_ERROR_SIZE] = {};
  Callback done;

  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (headers != nullptr) curl_slist_free_all(headers);
  }
};

// A socket curl asked us to watch; freed in its poll handle's close callback,
// which may come after the Client is gone.
struct Client::Socket {
  uv_poll_t poll{};
  Client* owner = nullptr;
  int fd = -1;
};

Client::Client(uv_loop_t* loop, int netns_fd) : loop_(loop), netns_fd_(netns_fd) {
  GlobalInit();
  multi_ = curl_multi_init();
  curl_multi_setopt(Multi(multi_), CURLMOPT_SOCKETFUNCTION, &Client::OnSocket);
  curl_multi_setopt(Multi(multi_), CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(Multi(multi_), CURLMOPT_TIMERFUNCTION, &Client::OnTimer);
  curl_multi_setopt(Multi(multi_), CURLMOPT_TIMERDATA, this);
  timer_ = new uv_timer_t;
  uv_timer_init(loop_, timer_);
  timer_->data = this;
}

Client::~Client() {
  for (auto& [id, transfer] : transfers_) curl_multi_remove_handle(Multi(multi_), transfer->easy);
  transfers_.clear();  // closes their sockets: curl tells OnSocket to stop watching
  curl_multi_cleanup(Multi(multi_));
  uv_timer_stop(timer_);
  uv::CloseAndDelete(timer_);
}

uint64_t Client::Post(const std::string& url, std::string body, int64_t timeout_ms, Callback done) {
  auto t = std::make_unique<Transfer>();
  t->id = next_id_++;
  t->body = std::move(body);
  t->done = std::move(done);
  t->easy = curl_easy_init();
  t->headers = curl_slist_append(nullptr, "Content-Type: application/json");
  CURL* e = t->easy;
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_POST, 1L);
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->body.data());
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(t->body.size()));
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &t->response);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");  // never a proxy from the environment
  curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt(e, CURLOPT_PRIVATE, reinterpret_cast<void*>(static_cast<uintptr_t>(t->id)));
  UseNamespace(e, netns_fd_);
  const uint64_t id = t->id;
  transfers_.emplace(id, std::move(t));
  // curl answers through OnTimer (a zero timeout), so `done` never runs in here.
  curl_multi_add_handle(Multi(multi_), e);
  return id;
}

void Client::Cancel(uint64_t id) {
  auto it = transfers_.find(id);
  if (it == transfers_.end()) return;
  curl_multi_remove_handle(Multi(multi_), it->second->easy);
  transfers_.erase(it);
}

int Client::OnSocket(void*, int fd, int what, void* self_ptr, void* socket_data) {
  auto* self = static_cast<Client*>(self_ptr);
  auto* socket = static_cast<Socket*>(socket_data);
  if (what == CURL_POLL_REMOVE) {
    if (socket != nullptr) {
      uv_poll_stop(&socket->poll);
      uv::CloseAndDelete(socket);
      curl_multi_assign(Multi(self->multi_), fd, nullptr);
    }
    return 0;
  }
  if (socket == nullptr) {
    socket = new Socket;
    socket->owner = self;
    socket->fd = fd;
    uv_poll_init_socket(self->loop_, &socket->poll, fd);
    socket->poll.data = socket;
    curl_multi_assign(Multi(self->multi_), fd, socket);
  }
  int events = 0;
  if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) events |= UV_READABLE;
  if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) events |= UV_WRITABLE;
  uv_poll_start(&socket->poll, events, [](uv_poll_t* handle, int status, int ready) {
    auto* s = static_cast<Socket*>(handle->data);
    int flags = 0;
    if (status < 0) flags |= CURL_CSELECT_ERR;
    if (ready & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (ready & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
    s->owner->Act(s->fd, flags);
  });
  return 0;
}

int Client::OnTimer(void*, long timeout_ms, void* self_ptr) {
  auto* self = static_cast<Client*>(self_ptr);
  if (timeout_ms < 0) {
    uv_timer_stop(self->timer_);
    return 0;
  }
  uv_timer_start(
      self->timer_,
      [](uv_timer_t* t) { static_cast<Client*>(t->data)->Act(CURL_SOCKET_TIMEOUT, 0); },
      static_cast<uint64_t>(timeout_ms), 0);
  return 0;
}

void Client::Act(int fd, int events) {
  int running = 0;
  curl_multi_socket_action(Multi(multi_), fd, events, &running);
  Drain();
}

void Client::Drain() {
  // Finished transfers first, callbacks after: a callback may Post or Cancel.
  std::vector<std::pair<Callback, Response>> finished;
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(Multi(multi_), &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    void* private_data = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &private_data);
    auto it = transfers_.find(static_cast<uint64_t>(reinterpret_cast<uintptr_t>(private_data)));
    if (it == transfers_.end()) continue;
    Transfer& t = *it->second;
    Response r;
    const CURLcode code = message->data.result;
    long request_bytes = 0;
    curl_easy_getinfo(t.easy, CURLINFO_REQUEST_SIZE, &request_bytes);
    if (code == CURLE_OK) {
      r.ok = r.sent = true;
      curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &r.status);
      r.body = std::move(t.response);
    } else {
      // No request bytes written, or refused at connect: it never reached the server.
      r.sent = code != CURLE_COULDNT_CONNECT && request_bytes > 0;
      r.error = t.error[0] != '\0' ? t.error : curl_easy_strerror(code);
    }
    finished.emplace_back(std::move(t.done), std::move(r));
    curl_multi_remove_handle(Multi(multi_), t.easy);
    transfers_.erase(it);
  }
  for (auto& [done, response] : finished) done(std::move(response));
}

Response RequestNow(const std::string& url, const std::string& body, int64_t timeout_ms,
                    int netns_fd) {
  GlobalInit();
  Response r;
  std::string response;
  char error[CURL_ERROR_SIZE] = {};
  CURL* e = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  if (!body.empty()) {
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
  UseNamespace(e, netns_fd);
  const CURLcode code = curl_easy_perform(e);
  if (code == CURLE_OK) {
    r.ok = r.sent = true;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r.status);
    r.body = std::move(response);
  } else {
    r.sent = code != CURLE_COULDNT_CONNECT;
    r.error = error[0] != '\0' ? error : curl_easy_strerror(code);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(e);
  return r;
}

}  // namespace jepsen::systems::http
