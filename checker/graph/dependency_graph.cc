#include "checker/graph/dependency_graph.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <deque>
#include <limits>
#include <unordered_map>

namespace jepsen::checker::graph {
namespace {

struct EdgeData {
  EdgeKind kind = EdgeKind::kRealTime;
  std::string reason;
};

struct VertexData {
  uint32_t op = 0;
};

// vecS for both: vertices are dense 0..n-1, edges kept in insertion order so
// that results are deterministic.
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexData, EdgeData>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

}  // namespace

std::string_view ToString(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::kRealTime:
      return "real-time";
    case EdgeKind::kProcess:
      return "process";
    case EdgeKind::kWr:
      return "wr";
    case EdgeKind::kWw:
      return "ww";
    case EdgeKind::kRw:
      return "rw";
    case EdgeKind::kToken:
      return "token";
    case EdgeKind::kLease:
      return "lease";
  }
  return "?";
}

struct DependencyGraph::Impl {
  Graph g;
  std::unordered_map<uint32_t, Vertex> vertex_of;

  Vertex VertexFor(uint32_t op) {
    auto [it, inserted] = vertex_of.try_emplace(op, 0);
    if (inserted) it->second = boost::add_vertex(VertexData{op}, g);
    return it->second;
  }

  // component[v] for every vertex, and which components hold a cycle.
  std::vector<int> Components(std::vector<bool>& cyclic) const {
    const size_t n = boost::num_vertices(g);
    std::vector<int> component(n, 0);
    if (n == 0) return component;
    const int count = boost::strong_components(
        g,
        boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, g)));
    std::vector<int> size(count, 0);
    for (int c : component) ++size[c];
    cyclic.assign(count, false);
    for (int c = 0; c < count; ++c) cyclic[c] = size[c] > 1;
    for (auto [e, end] = boost::edges(g); e != end; ++e) {
      if (boost::source(*e, g) == boost::target(*e, g))
        cyclic[component[boost::source(*e, g)]] = true;
    }
    return component;
  }
};

DependencyGraph::DependencyGraph() : impl_(std::make_unique<Impl>()) {}
DependencyGraph::~DependencyGraph() = default;
DependencyGraph::DependencyGraph(DependencyGraph&&) noexcept = default;
DependencyGraph& DependencyGraph::operator=(DependencyGraph&&) noexcept = default;

void DependencyGraph::AddEdge(uint32_t from, uint32_t to, EdgeKind kind, std::string reason) {
  Vertex u = impl_->VertexFor(from);
  Vertex v = impl_->VertexFor(to);
  boost::add_edge(u, v, EdgeData{kind, std::move(reason)}, impl_->g);
}

size_t DependencyGraph::vertex_count() const { return boost::num_vertices(impl_->g); }
size_t DependencyGraph::edge_count() const { return boost::num_edges(impl_->g); }

std::vector<std::vector<uint32_t>> DependencyGraph::CyclicComponents() const {
  std::vector<bool> cyclic;
  std::vector<int> component = impl_->Components(cyclic);
  std::vector<std::vector<uint32_t>> out(cyclic.size());
  for (Vertex v = 0; v < component.size(); ++v) {
    if (cyclic[component[v]]) out[component[v]].push_back(impl_->g[v].op);
  }
  std::erase_if(out, [](const std::vector<uint32_t>& c) { return c.empty(); });
  for (auto& c : out) std::sort(c.begin(), c.end());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Step> DependencyGraph::ShortestCycle() const {
  const Graph& g = impl_->g;
  std::vector<bool> cyclic;
  std::vector<int> component = impl_->Components(cyclic);
  const size_t n = component.size();

  // Sources in ascending op order, so that among the shortest cycles the one
  // through the lowest op is found first and begins there.
  std::vector<Vertex> order;
  for (Vertex v = 0; v < n; ++v) {
    if (cyclic[component[v]]) order.push_back(v);
  }
  std::sort(order.begin(), order.end(), [&](Vertex a, Vertex b) { return g[a].op < g[b].op; });

  using Edge = boost::graph_traits<Graph>::edge_descriptor;
  constexpr size_t kUnseen = std::numeric_limits<size_t>::max();
  std::vector<size_t> dist(n, kUnseen);
  std::vector<Edge> parent(n);
  std::vector<Edge> best;
  std::deque<Vertex> queue;
  for (Vertex s : order) {
    if (!best.empty() && best.size() <= 1) break;  // a self-loop cannot be beaten
    std::fill(dist.begin(), dist.end(), kUnseen);
    queue.clear();
    dist[s] = 0;
    queue.push_back(s);
    bool found = false;
    while (!queue.empty() && !found) {
      Vertex u = queue.front();
      queue.pop_front();
      // No cycle through s found from here can beat the best one so far.
      if (!best.empty() && dist[u] + 1 >= best.size()) break;
      for (auto [e, end] = boost::out_edges(u, g); e != end; ++e) {
        Vertex v = boost::target(*e, g);
        if (component[v] != component[s]) continue;
        if (v == s) {
          std::vector<Edge> cycle(dist[u] + 1);
          cycle.back() = *e;
          for (Vertex w = u; w != s; w = boost::source(parent[w], g)) {
            cycle[dist[w] - 1] = parent[w];
          }
          best = std::move(cycle);
          found = true;
          break;
        }
        if (dist[v] != kUnseen) continue;
        dist[v] = dist[u] + 1;
        parent[v] = *e;
        queue.push_back(v);
      }
    }
  }
  std::vector<Step> steps;
  steps.reserve(best.size());
  for (const Edge& e : best) {
    steps.push_back(Step{g[boost::source(e, g)].op, g[e].kind, g[e].reason});
  }
  return steps;
}

}  // namespace jepsen::checker::graph
