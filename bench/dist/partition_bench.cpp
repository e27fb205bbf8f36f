// SPDX-License-Identifier: Apache-2.0
// moegnn_partition_bench: the measurements behind bench/compare/partition_volume.sh and the
// distributed scaling model (bench/compare/dist_scaling.py). One JSON object per line on stdout.
//   volume [--parts 2,4,8] [--methods metis,random] [--seed S] [graph flags]
//       per (P, method): edge cut, halo volume, per-part nodes / train / halo (rows received) /
//       send (rows sent) / in-edges of the owned rows, and the partition time;
//   step [--parts 1,2,4,8] [--reps R] [--hidden 256] [--layers 3] [graph flags]
//       METIS parts built in this process (dist::build_part); per part, the median time of one
//       training step (forward + backward, no optimiser) of a GCN on the part's local graph: each
//       layer a GCNConv block (owned × local rows, Â from the global degrees), ReLU between layers,
//       the next layer's input = the owned rows stacked over halo rows (what the halo exchange
//       delivers; random here), cross-entropy on the part's training nodes; and the same step on a
//       block of the same shape without edges (dense_seconds: GEMMs and loss alone).
// Graph flags: --dataset NAME [--data-dir DIR] loads a registered node dataset (e.g. ogbn-arxiv);
// without it the graph is graph::arxiv_scale_graph(--graph-seed, default 1) (169,343 nodes, R-MAT)
// with --features F (128) random features, --classes C (40) random labels and a random training
// set of --train-fraction (0.537, ogbn-arxiv's 90,941 / 169,343). --csbm H replaces the R-MAT graph
// by a CSBM graph of ogbn-arxiv's size, class count and mean degree (169,343 nodes, 40 classes,
// 13.77 stored edges per node) with edge homophily H (ogbn-arxiv's: 0.655): community structure
// that R-MAT lacks. --threads T (default 1).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/loss.h"
#include "core/ops/shape.h"
#include "core/parallel.h"
#include "core/rng.h"
#include "core/tape.h"
#include "datasets/csbm.h"
#include "datasets/registry.h"
#include "dist/part.h"
#include "dist/partition.h"
#include "graph/generators.h"
#include "layers/gcn_conv.h"

namespace moegnn::bench {
namespace {

constexpr const char* kProgram = "moegnn_partition_bench";

struct Args {
  std::string mode;
  std::vector<Index> parts;
  std::vector<std::string> methods{"metis", "random"};
  std::uint64_t seed = 0;
  std::string dataset, data_dir;
  std::uint64_t graph_seed = 1;
  Index features = 128, classes = 40, hidden = 256, layers = 3, reps = 3;
  double train_fraction = 0.537;
  double csbm_homophily = -1.0;  // < 0: the R-MAT graph
  int threads = 1;
};

std::vector<std::string> split(const std::string& value) {
  std::vector<std::string> out;
  std::stringstream in(value);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(item);
  return out;
}

Args parse(int argc, char** argv) {
  MOEGNN_CHECK_AS(InvalidArgument, kProgram, argc >= 2, "need a mode: volume or step");
  Args a;
  a.mode = argv[1];
  MOEGNN_CHECK_AS(InvalidArgument, kProgram, a.mode == "volume" || a.mode == "step", "mode '",
                  a.mode, "' vs volume or step");
  a.parts = a.mode == "volume" ? std::vector<Index>{2, 4, 8} : std::vector<Index>{1, 2, 4, 8};
  for (int i = 2; i < argc; ++i) {
    const std::string flag = argv[i];
    MOEGNN_CHECK_AS(InvalidArgument, kProgram, i + 1 < argc, "flag ", flag, " has no value");
    const std::string v = argv[++i];
    if (flag == "--parts") {
      a.parts.clear();
      for (const auto& p : split(v)) a.parts.push_back(std::stoll(p));
    } else if (flag == "--methods") a.methods = split(v);
    else if (flag == "--seed") a.seed = std::stoull(v);
    else if (flag == "--dataset") a.dataset = v;
    else if (flag == "--data-dir") a.data_dir = v;
    else if (flag == "--graph-seed") a.graph_seed = std::stoull(v);
    else if (flag == "--features") a.features = std::stoll(v);
    else if (flag == "--classes") a.classes = std::stoll(v);
    else if (flag == "--hidden") a.hidden = std::stoll(v);
    else if (flag == "--layers") a.layers = std::stoll(v);
    else if (flag == "--reps") a.reps = std::stoll(v);
    else if (flag == "--train-fraction") a.train_fraction = std::stod(v);
    else if (flag == "--threads") a.threads = std::stoi(v);
    else if (flag == "--csbm") a.csbm_homophily = std::stod(v);
    else MOEGNN_FAIL(InvalidArgument, kProgram, "unknown flag ", flag);
  }
  return a;
}

datasets::NodeDataset load(const Args& a) {
  if (!a.dataset.empty()) {
    datasets::RegistryOptions o;
    o.download = false;
    return a.data_dir.empty() ? datasets::load_node_dataset(a.dataset, datasets::default_data_dir(), o)
                              : datasets::load_node_dataset(a.dataset, a.data_dir, o);
  }
  if (a.csbm_homophily >= 0.0) {
    datasets::NodeDataset d = datasets::csbm({.num_nodes = 169343,
                                              .num_classes = 40,
                                              .num_features = a.features,
                                              .avg_degree = 13.77,
                                              .homophily = a.csbm_homophily,
                                              .seed = a.graph_seed,
                                              .train_fraction = a.train_fraction,
                                              .val_fraction = 0.176});
    d.name = "arxiv-size-csbm";
    return d;
  }
  datasets::NodeDataset d;
  d.graph = graph::arxiv_scale_graph(a.graph_seed);
  d.name = "arxiv-scale";
  const Index n = d.graph.num_nodes();
  Rng rng(a.graph_seed + 1);
  d.features = Tensor::empty(n, a.features);
  for (Index i = 0; i < d.features.size(); ++i) d.features.data()[i] = rng.normal();
  d.labels = IndexArray32(n);
  for (auto& y : d.labels.host()) y = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(a.classes)));
  d.num_classes = a.classes;
  std::vector<std::int32_t> train;
  for (Index v = 0; v < n; ++v) {
    if (rng.uniform() < a.train_fraction) train.push_back(static_cast<std::int32_t>(v));
  }
  d.train = IndexArray32(train);
  return d;
}

dist::PartitionMethod method_of(const std::string& m) {
  MOEGNN_CHECK_AS(InvalidArgument, kProgram, m == "metis" || m == "random", "method '", m,
                  "' vs metis or random");
  return m == "metis" ? dist::PartitionMethod::Metis : dist::PartitionMethod::Random;
}

template <typename T>
std::string list(const std::vector<T>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ",";
    out += std::to_string(v[i]);
  }
  out += "]";
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void volume(const Args& a, const datasets::NodeDataset& d) {
  for (const Index parts : a.parts) {
    for (const auto& m : a.methods) {
      const auto start = std::chrono::steady_clock::now();
      const auto assignment = dist::partition_nodes(
          d.graph, d.train, {.num_parts = parts, .method = method_of(m), .seed = a.seed});
      const double secs = seconds_since(start);
      const auto s = dist::partition_stats(d.graph, d.train, assignment, parts);
      std::vector<std::int64_t> edges(static_cast<std::size_t>(parts), 0);  // in-edges of owned rows
      for (Index v = 0; v < d.num_nodes(); ++v) edges[static_cast<std::size_t>(assignment[v])] += d.graph.degree(v);
      std::cout << "{\"mode\":\"volume\",\"graph\":\"" << d.name << "\",\"nodes\":" << d.num_nodes()
                << ",\"edges\":" << d.graph.num_edges() << ",\"train\":" << d.train.size()
                << ",\"features\":" << d.num_features() << ",\"parts\":" << parts
                << ",\"method\":\"" << m << "\",\"seed\":" << a.seed << ",\"seconds\":" << secs
                << ",\"edge_cut\":" << s.edge_cut << ",\"halo_volume\":" << s.halo_volume
                << ",\"node_imbalance\":" << s.node_imbalance
                << ",\"train_imbalance\":" << s.train_imbalance
                << ",\"part_nodes\":" << list(s.nodes) << ",\"part_train\":" << list(s.train)
                << ",\"part_halo\":" << list(s.halo) << ",\"part_send\":" << list(s.send)
                << ",\"part_edges\":" << list(edges) << "}"
                << std::endl;
    }
  }
}

// Â restricted to the part: 1 / sqrt((d_i + 1)(d_j + 1)) per stored edge with d the global
// in-degrees, plus the self-loop 1 / (d_i + 1) that gcn_norm adds to rows without one.
graph::Csr normalised_block(const dist::Part& p) {
  const auto& g = p.graph;
  const auto deg = p.global_degree.host();
  std::vector<std::int64_t> row_ptr{0};
  std::vector<std::int32_t> cols;
  std::vector<float> vals;
  const auto w = [&](Index i, Index j) {
    return 1.0f / std::sqrt(static_cast<float>(deg[static_cast<std::size_t>(i)] + 1) *
                            static_cast<float>(deg[static_cast<std::size_t>(j)] + 1));
  };
  for (Index i = 0; i < g.num_rows(); ++i) {
    const auto nbrs = g.neighbors(i);
    bool loop = false;
    for (const auto j : nbrs) loop = loop || j == i;
    bool placed = loop;
    for (const auto j : nbrs) {
      if (!placed && j > i) {
        cols.push_back(static_cast<std::int32_t>(i));
        vals.push_back(w(i, i));
        placed = true;
      }
      cols.push_back(j);
      vals.push_back(w(i, j));
    }
    if (!placed) {
      cols.push_back(static_cast<std::int32_t>(i));
      vals.push_back(w(i, i));
    }
    row_ptr.push_back(static_cast<std::int64_t>(cols.size()));
  }
  const auto nnz = static_cast<Index>(cols.size());
  return graph::Csr(g.num_rows(), g.num_cols(), graph::EdgeIds(row_ptr), graph::NodeIds(cols),
                    Tensor::from_vector(nnz, 1, vals));
}

Tensor random_tensor(Index rows, Index cols, Rng& rng) {
  Tensor t = Tensor::empty(rows, cols);
  for (Index i = 0; i < t.size(); ++i) t.data()[i] = rng.normal();
  return t;
}

// One forward + backward of the GCN on part `p`; returns its wall time.
double step_seconds(const dist::Part& p, const graph::Csr& block,
                    std::vector<std::unique_ptr<layers::GCNConv>>& convs, const std::vector<Tensor>& halo_inputs,
                    const Tensor& x) {
  const auto start = std::chrono::steady_clock::now();
  Tape tape;
  Var h = tape.constant(x);
  for (std::size_t l = 0; l < convs.size(); ++l) {
    if (l > 0) {
      h = ops::relu(tape, h);
      if (p.num_halo() > 0) h = ops::concat_rows(tape, {h, tape.constant(halo_inputs[l])});
    }
    h = convs[l]->forward_block(tape, block, h);
  }
  const Var loss = ops::cross_entropy(tape, h, p.labels, p.train);
  tape.backward(loss, Tape::Release::Everything);
  return seconds_since(start);
}

void step(const Args& a, const datasets::NodeDataset& d) {
  for (const Index parts : a.parts) {
    const auto assignment = dist::partition_nodes(
        d.graph, d.train, {.num_parts = parts, .method = dist::PartitionMethod::Metis, .seed = a.seed});
    for (Index k = 0; k < parts; ++k) {
      const dist::Part p = dist::build_part(d, assignment, k, parts);
      const graph::Csr block = normalised_block(p);
      Rng rng(a.seed + static_cast<std::uint64_t>(k));
      std::vector<std::unique_ptr<layers::GCNConv>> convs;
      std::vector<Tensor> halo_inputs(static_cast<std::size_t>(a.layers));
      for (Index l = 0; l < a.layers; ++l) {
        const Index in = l == 0 ? d.num_features() : a.hidden;
        const Index out = l + 1 == a.layers ? d.num_classes : a.hidden;
        convs.push_back(std::make_unique<layers::GCNConv>(
            layers::GCNConvOptions{.in_channels = in, .out_channels = out}, rng));
        if (l > 0) halo_inputs[static_cast<std::size_t>(l)] = random_tensor(p.num_halo(), in, rng);
      }
      // The local input: owned features, then halo features (what the first exchange delivers).
      Tensor x = Tensor::empty(p.num_local(), d.num_features());
      std::copy(p.features.data(), p.features.data() + p.features.size(), x.data());
      const Tensor halo_x = random_tensor(p.num_halo(), d.num_features(), rng);
      std::copy(halo_x.data(), halo_x.data() + halo_x.size(), x.data() + p.features.size());
      // The same shapes without edges: what the dense part (GEMMs, loss) costs alone, so the
      // difference is the sparse part's (rounds alternate, so both see the same load).
      const graph::Csr no_edges(block.num_rows(), block.num_cols(),
                                graph::EdgeIds(std::vector<std::int64_t>(
                                    static_cast<std::size_t>(block.num_rows()) + 1, 0)),
                                graph::NodeIds(0), Tensor::empty(0, 1));
      std::vector<double> times, dense_times;
      step_seconds(p, block, convs, halo_inputs, x);  // warm-up: buffers faulted in
      step_seconds(p, no_edges, convs, halo_inputs, x);
      for (Index r = 0; r < a.reps; ++r) {
        times.push_back(step_seconds(p, block, convs, halo_inputs, x));
        dense_times.push_back(step_seconds(p, no_edges, convs, halo_inputs, x));
      }
      std::sort(times.begin(), times.end());
      std::sort(dense_times.begin(), dense_times.end());
      std::cout << "{\"mode\":\"step\",\"graph\":\"" << d.name << "\",\"nodes\":" << d.num_nodes()
                << ",\"edges\":" << d.graph.num_edges() << ",\"parts\":" << parts
                << ",\"part\":" << k << ",\"owned\":" << p.num_owned()
                << ",\"halo\":" << p.num_halo() << ",\"local_edges\":" << block.num_edges()
                << ",\"train\":" << p.train.size() << ",\"threads\":" << a.threads
                << ",\"hidden\":" << a.hidden << ",\"layers\":" << a.layers
                << ",\"features\":" << d.num_features() << ",\"classes\":" << d.num_classes
                << ",\"step_seconds\":" << times[times.size() / 2]
                << ",\"dense_seconds\":" << dense_times[dense_times.size() / 2]
                << ",\"all_seconds\":" << list(times) << "}" << std::endl;
    }
  }
}

}  // namespace
}  // namespace moegnn::bench

int main(int argc, char** argv) {
  using namespace moegnn;
  try {
    const bench::Args a = bench::parse(argc, argv);
    set_num_threads(a.threads);
    const datasets::NodeDataset d = bench::load(a);
    if (a.mode == "volume") {
      bench::volume(a, d);
    } else {
      bench::step(a, d);
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
