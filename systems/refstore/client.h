// A client of the reference store: one TCP connection on the run's loop,
// pipelined requests matched to replies by id, reconnecting after the node
// restarts.
#ifndef JEPSEN_SYSTEMS_REFSTORE_CLIENT_H_
#define JEPSEN_SYSTEMS_REFSTORE_CLIENT_H_

#include <uv.h>

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "systems/refstore/protocol.h"
#include "systems/system.h"

namespace jepsen::systems::refstore {

class RefstoreClient : public Client {
 public:
  // Connects to host:port; with `netns_fd` >= 0, from inside that network namespace.
  RefstoreClient(uv_loop_t* loop, std::string workload, std::string host, int port,
                 int netns_fd = -1);
  ~RefstoreClient() override;

  void Invoke(const systems::Request& request, Done done) override;

 private:
  struct Connection;
  void Connect();
  void Connected(int status);
  void Received(const char* data, size_t size);
  // The connection broke: ops sent on it may have happened.
  void Lost(const std::string& why);
  void SendQueued();

  uv_loop_t* loop_;
  std::string workload_;
  std::string host_;
  int port_;
  int netns_fd_;
  std::shared_ptr<Connection> connection_;  // null when not connected
  bool connecting_ = false;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Done> in_flight_;              // sent, awaiting a reply
  std::deque<std::pair<std::string, Done>> queue_;  // waiting for the connection
  std::deque<uint64_t> queued_ids_;
};

}  // namespace jepsen::systems::refstore

#endif  // JEPSEN_SYSTEMS_REFSTORE_CLIENT_H_
