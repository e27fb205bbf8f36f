// SPDX-License-Identifier: Apache-2.0
// Interop helper for tests/interop/link_oracle_test.py: reads a JSON case file (a graph's edges,
// query pairs, Hits@K cases) and writes moegnn's CN / Adamic-Adar / resource-allocation scores and
// OGB-style Hits@K, so the Python side can compare them with networkx and ogb's Evaluator.
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "graph/builder.h"
#include "graph/common_neighbors.h"
#include "models/training/metrics_link.h"

int main(int argc, char** argv) {
  using namespace moegnn;
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " <cases.json> <out.json>\n";
    return 2;
  }
  try {
    nlohmann::json in;
    std::ifstream(argv[1]) >> in;
    std::vector<std::int32_t> s, d, ps, pd;
    for (const auto& e : in["edges"]) {
      s.push_back(e[0].get<std::int32_t>());
      d.push_back(e[1].get<std::int32_t>());
    }
    for (const auto& p : in["pairs"]) {
      ps.push_back(p[0].get<std::int32_t>());
      pd.push_back(p[1].get<std::int32_t>());
    }
    graph::BuildOptions build;
    build.num_nodes = in["num_nodes"].get<Index>();
    build.symmetric = true;
    build.duplicates = graph::Duplicates::KeepFirst;
    const graph::Csr g = graph::from_coo(s, d, std::vector<float>{}, build);
    const graph::EdgeList pairs{graph::NodeIds(ps), graph::NodeIds(pd)};
    nlohmann::json out;
    out["cn"] = graph::link_heuristic(g, pairs, graph::LinkHeuristic::CommonNeighbors);
    out["aa"] = graph::link_heuristic(g, pairs, graph::LinkHeuristic::AdamicAdar);
    out["ra"] = graph::link_heuristic(g, pairs, graph::LinkHeuristic::ResourceAllocation);
    out["hits"] = nlohmann::json::array();
    for (const auto& c : in["hits"]) {
      const auto pos = c["pos"].get<std::vector<float>>();
      const auto neg = c["neg"].get<std::vector<float>>();
      out["hits"].push_back(training::hits_at_k(pos, neg, c["k"].get<Index>()));
    }
    std::ofstream(argv[2]) << out.dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
