// SPDX-License-Identifier: Apache-2.0
// Neighbour-sampled GraphSAGE training epochs on the benchmark graph file, the moegnn side of
// bench/compare/sage_vs_pyg.sh (PyG: NeighborLoader + SAGEConv, bench/compare/sage_pyg.py).
// Seeds: nodes 0 .. train_nodes-1 (the generator's ids are a random permutation, so this is a
// random subset; 0 = every node), shuffled per epoch, batches of batch_size. Fanouts are given
// seeds outward as PyG's num_neighbors (15,10,5: 15 neighbours per seed), so the sampler gets them
// reversed (input layer first). Model: fanouts.size() SAGEConv layers (mean, root weight),
// ReLU + dropout 0.5 between them, hidden 256; cross-entropy on the seeds; Adam lr 0.01. One timed
// epoch = for every batch: sample blocks, gather the input features, forward, loss, backward, step.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "bench/models/epoch_common.h"
#include "core/error.h"
#include "core/ops/loss.h"
#include "core/ops/shape.h"
#include "core/optim/adam.h"
#include "graph/sampler.h"
#include "graph/seed_batches.h"
#include "models/node/sage.h"

namespace moegnn::bench {

void time_sampled_sage_epochs(const EpochArgs& a) {
  const BenchGraph d = read_bench_graph(a.graph);
  const Index n = d.graph.num_nodes();
  const Index train = a.train_nodes > 0 ? std::min(a.train_nodes, n) : n;
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn_models_bench", a.batch_size >= 1, "--batch-size ",
                  a.batch_size, " vs >= 1");
  std::vector<graph::NodeId> ids(static_cast<std::size_t>(train));
  for (Index i = 0; i < train; ++i) ids[static_cast<std::size_t>(i)] = static_cast<graph::NodeId>(i);
  graph::SeedBatches batches(graph::NodeIds(ids), {.batch_size = a.batch_size, .seed = a.seed});
  std::vector<int> input_first(a.fanouts.rbegin(), a.fanouts.rend());
  Rng rng(a.seed);
  models::Sage model({.in_channels = d.features.cols(),
                      .hidden_channels = a.hidden > 0 ? a.hidden : 256,
                      .out_channels = d.num_classes,
                      .num_layers = static_cast<Index>(input_first.size()),
                      .dropout = 0.5f},
                     rng);
  const models::PreparedGraph g = model.prepare(d.graph);
  graph::NeighborSampler sampler(g.csr(), input_first);
  optim::Adam adam({optim::ParamGroup{model.parameters(), 0.01f, 0.0f}});
  EpochTimes times;
  double edges_per_epoch = 0.0;
  double hop_edges_per_epoch = 0.0;  // NeighborLoader's count (see below)
  model.train();
  for (Index epoch = 0; epoch < a.warmup + a.epochs; ++epoch) {
    const EpochClock timer;
    batches.set_epoch(static_cast<std::uint64_t>(epoch));
    double edges = 0.0;
    double hop_edges = 0.0;
    for (const graph::NodeIds& seeds : batches) {
      const std::vector<graph::Block> blocks = sampler.sample(seeds, rng);
      // All block edges (what moegnn aggregates), and only those of the nodes first reached at the
      // previous hop (what NeighborLoader samples and sage_pyg.py reports): block l's first
      // blocks[l + 1].num_dst destinations were expanded by the outer block already.
      for (std::size_t l = 0; l < blocks.size(); ++l) {
        const graph::Block& b = blocks[l];
        edges += static_cast<double>(b.adj.num_edges());
        const Index seen = l + 1 < blocks.size() ? blocks[l + 1].num_dst : 0;
        hop_edges += static_cast<double>(b.adj.row_ptr()[b.num_dst] - b.adj.row_ptr()[seen]);
      }
      const Tensor x = ops::gather_rows(d.features, blocks.front().src_nodes);
      IndexArray32 y(seeds.size());
      const auto labels = d.labels.host();
      const auto s = seeds.host();
      for (std::size_t i = 0; i < s.size(); ++i)
        y.host()[i] = labels[static_cast<std::size_t>(s[i])];
      adam.zero_grad();
      Tape tape;
      const Var logits = model.forward_blocks(tape, blocks, tape.constant(x), rng);
      const Var loss = ops::cross_entropy(tape, logits, y);
      tape.backward(loss, Tape::Release::Everything);  // as training::Stepper does
      adam.step();
      times.final_loss = loss.value().item();
    }
    timer.stop(times, epoch >= a.warmup);
    edges_per_epoch = edges;
    hop_edges_per_epoch = hop_edges;
  }
  std::ostringstream extra;  // (a stream: GCC 12 warns falsely on literal + std::string)
  extra << ",\"fanouts\":[";
  for (std::size_t i = 0; i < a.fanouts.size(); ++i) extra << (i == 0 ? "" : ",") << a.fanouts[i];
  extra << "],\"batch_size\":" << a.batch_size << ",\"train_nodes\":" << train
        << ",\"batches\":" << batches.num_batches()
        << ",\"sampled_edges\":" << static_cast<long long>(edges_per_epoch)
        << ",\"hop_edges\":" << static_cast<long long>(hop_edges_per_epoch);
  print_epoch_json("sage", a, times, extra.str());
}

}  // namespace moegnn::bench
