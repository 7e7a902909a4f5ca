#include "systems/refstore/refstore_system.h"

#include "systems/refstore/client.h"
#include "systems/refstore/store.h"

namespace jepsen::systems::refstore {

SystemType Registration() {
  return {"refstore",
          "the bundled reference store: one jepsen-refstore node (SQLite)",
          {options::Choices("bug", {}, BugNames(),  // the store's own table
                            "Planted bugs to switch on (docs/refstore-protocol.md)"),
           options::Choice("sync", "full", {"full", "normal", "off"},
                           "SQLite's synchronous, in WAL mode: full, commits survive power loss "
                           "(nemesis=power); normal and off, they survive process kills only and "
                           "run much faster"),
           options::Switch("fsync", true, "The older name of sync: on is full, off is normal")},
          [](const options::Values& values) -> Result<std::unique_ptr<System>> {
            std::string sync = values.Text("sync");
            if (values.Given("fsync")) {
              const std::string named = values.On("fsync") ? "full" : "normal";
              if (values.Given("sync") && sync != named) {
                return Status::Error("fsync=" + std::string(values.On("fsync") ? "on" : "off") +
                                     " is sync=" + named + ", which contradicts sync=" + sync);
              }
              sync = named;
            }
            return std::unique_ptr<System>(new RefstoreSystem(values.List("bug"), sync));
          }};
}

Abilities RefstoreSystem::abilities(const SetupContext& context) const {
  Abilities a;
  a.capabilities = {ProcessNodes::kName, Leadership::kName};
  if (context.disks) a.capabilities.insert(Disks::kName);
  if (context.private_network) a.capabilities.insert({Network::kName, Network::kSlowLinks});
  if (context.clocks) a.capabilities.insert(Clocks::kName);
  return a;
}

Json RefstoreSystem::HeaderOptions(const std::string&) const {
  return {{"bugs", bugs_}, {"sync", sync_}};
}

Status RefstoreSystem::Setup(const SetupContext& context) {
  context_ = context;
  return StartNodes(context, 1, [&](const NodeInfo& node) {
    ProcessSpec spec;
    spec.argv = {context.binary_dir + "/jepsen-refstore",
                 "--host",
                 node.host,
                 "--port",
                 std::to_string(node.port),
                 "--data",
                 node.data_dir,
                 "--sync",
                 sync_};
    for (const std::string& bug : bugs_) {
      spec.argv.push_back("--bug");
      spec.argv.push_back(bug);
    }
    return Result<ProcessSpec>(std::move(spec));
  });
}

bool RefstoreSystem::Up() const { return NodesUp(); }

std::unique_ptr<Client> RefstoreSystem::NewClient(int) {
  return std::make_unique<RefstoreClient>(context_.loop, context_.workload, n1().host, n1().port,
                                          clients_fd());
}

void RefstoreSystem::Teardown() { StopNodes(); }

}  // namespace jepsen::systems::refstore
