// SPDX-License-Identifier: Apache-2.0
// moegnn-data partition: load, partition, report, write.
#include "apps/data/partition.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "datasets/binary_cache.h"
#include "datasets/csbm.h"
#include "datasets/powerlaw.h"
#include "dist/part.h"

namespace moegnn::apps {
namespace {

namespace ds = moegnn::datasets;
using Json = nlohmann::ordered_json;

ds::NodeDataset load(const PartitionCommand& c) {
  if (c.dataset.empty()) {
    // Communities (16 classes, 90 % of edges inside one): the structure partitioning is for.
    ds::NodeDataset d = ds::csbm({.num_nodes = c.nodes, .num_classes = 16, .num_features = 32,
                                  .avg_degree = 10.0, .homophily = 0.9, .seed = 1});
    d.name = fmt::format("csbm-n{}", c.nodes);
    return d;
  }
  if (std::filesystem::is_regular_file(std::filesystem::path(c.dataset) / "manifest.npy"))
    return ds::load_powerlaw(c.dataset);  // a directory written by `generate`
  if (ds::dataset_cache_kind(c.dataset) == ds::CacheKind::Node)
    return ds::load_node_dataset_binary(c.dataset);
  MOEGNN_CHECK_AS(Unsupported, "moegnn-data partition",
                  ds::dataset_info(c.dataset).kind == ds::DatasetKind::Node, "'", c.dataset,
                  "' is not a node dataset vs a node-classification dataset (partitioning splits "
                  "nodes with their features and labels)");
  return ds::load_node_dataset(c.dataset, c.data_dir, c.registry);
}

double percent(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 0.0; }

void print_text(const ds::NodeDataset& d, const PartitionCommand& c, const dist::PartitionStats& s,
                double seconds) {
  const dist::PartitionOptions& o = c.options;
  fmt::print("dataset       {}: {} nodes, {} stored edges, {} training nodes\n", d.name,
             d.num_nodes(), d.graph.num_edges(), d.train.size());
  fmt::print("partition     {} parts, {}{}, seed {} ({:.2f} s)\n", o.num_parts,
             method_name(o.method),
             o.method == dist::PartitionMethod::Metis
                 ? (o.balance_train ? " (node + train weights)" : " (node weights)")
                 : "",
             o.seed, seconds);
  fmt::print("  edge cut    {} ({:.2f} % of edges)\n", s.edge_cut,
             percent(static_cast<double>(s.edge_cut), static_cast<double>(d.graph.num_edges())));
  fmt::print("  halo volume {} ({:.2f} % of nodes)\n", s.halo_volume,
             percent(static_cast<double>(s.halo_volume), static_cast<double>(d.num_nodes())));
  fmt::print("  balance     nodes {:.3f}, train {:.3f} (max / mean)\n", s.node_imbalance,
             s.train_imbalance);
  fmt::print("  {:>6} {:>10} {:>10} {:>10} {:>10}\n", "part", "nodes", "train", "halo", "send");
  for (std::size_t p = 0; p < s.nodes.size(); ++p)
    fmt::print("  {:>6} {:>10} {:>10} {:>10} {:>10}\n", p, s.nodes[p], s.train[p], s.halo[p],
               s.send[p]);
}

void print_json(const ds::NodeDataset& d, const PartitionCommand& c, const dist::PartitionStats& s,
                double seconds) {
  const Json out{{"dataset", d.name},
                 {"nodes", d.num_nodes()},
                 {"edges", d.graph.num_edges()},
                 {"features", d.num_features()},
                 {"train", d.train.size()},
                 {"num_parts", c.options.num_parts},
                 {"method", method_name(c.options.method)},
                 {"seed", c.options.seed},
                 {"balance_train", c.options.balance_train},
                 {"seconds", seconds},
                 {"edge_cut", s.edge_cut},
                 {"halo_volume", s.halo_volume},
                 {"node_imbalance", s.node_imbalance},
                 {"train_imbalance", s.train_imbalance},
                 {"part_nodes", s.nodes},
                 {"part_train", s.train},
                 {"part_halo", s.halo},
                 {"part_send", s.send},
                 {"out", c.out}};
  fmt::print("{}\n", out.dump(2));
}

}  // namespace

const char* method_name(dist::PartitionMethod method) {
  return method == dist::PartitionMethod::Metis ? "metis" : "random";
}

void partition(const PartitionCommand& c) {
  const ds::NodeDataset d = load(c);
  const auto start = std::chrono::steady_clock::now();
  const IndexArray32 assignment = dist::partition_nodes(d.graph, d.train, c.options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const dist::PartitionStats s =
      dist::partition_stats(d.graph, d.train, assignment, c.options.num_parts);
  if (c.json) {
    print_json(d, c, s, seconds);
  } else {
    print_text(d, c, s, seconds);
  }
  if (c.out.empty()) {
    if (!c.json) fmt::print("no --out: nothing written\n");
    return;
  }
  dist::write_parts(d, assignment, c.options.num_parts,
                    dist::PartsWriteOptions{.method = method_name(c.options.method),
                                            .seed = c.options.seed,
                                            .balance_train = c.options.balance_train},
                    c.out);
  if (!c.json) {
    fmt::print("wrote {}: part-0 .. part-{} and manifest.json\n", c.out, c.options.num_parts - 1);
  }
}

}  // namespace moegnn::apps
