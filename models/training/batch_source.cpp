// SPDX-License-Identifier: Apache-2.0
// Full-graph and neighbour-sampled batch sources. Sampled training follows DGL's recipe: per batch
// of training seeds, sample blocks with the fanouts (graph::NeighborSampler, drawing from the
// trainer's Rng so a resumed run replays the same samples), gather the input rows of the first
// block's sources from the feature store, and run the model's block forward. Full-graph evaluation
// feeds the model one block per layer that is the whole graph (every node a destination and a
// source), i.e. exact layer-wise inference without sampling noise.
#include "models/training/batch_source.h"

#include <numeric>

#include "core/error.h"
#include "core/ops/shape.h"

namespace moegnn::training {
namespace {

// Evaluation mode for a scope; training mode again afterwards, also when the forward throws.
struct EvalScope {
  explicit EvalScope(layers::Module& m) : model(m) { model.eval(); }
  ~EvalScope() { model.train(); }
  layers::Module& model;
};

std::vector<Tensor> gather_sets(const Tensor& logits, const std::vector<IndexArray32>& sets) {
  std::vector<Tensor> out;
  out.reserve(sets.size());
  for (const IndexArray32& set : sets) out.push_back(ops::gather_rows(logits, set));
  return out;
}

void check_logits(const Var& logits, Index rows, const char* mode) {
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer", logits.valid() && logits.rows() == rows, mode,
                  " forward returned ", logits.valid() ? logits.rows() : 0, " rows vs ", rows,
                  " (one row of logits per destination node of the last block)");
}

class FullGraphSource final : public NodeBatchSource {
 public:
  FullGraphSource(layers::Module& model, ForwardFn forward)
      : model_(model), forward_(std::move(forward)) {}

  Index num_batches(Index) override { return 1; }

  BatchLogits forward_batch(Tape& tape, Index, Rng& rng) override {
    return {forward_(tape, rng), IndexArray32()};
  }

  std::vector<Tensor> predict(const std::vector<IndexArray32>& sets, Rng& rng) override {
    EvalScope scope(model_);
    Tape tape(Tape::Mode::Inference);
    return gather_sets(forward_(tape, rng).value(), sets);
  }

 private:
  layers::Module& model_;
  ForwardFn forward_;
};

class SampledBlockSource final : public NodeBatchSource {
 public:
  SampledBlockSource(layers::Module& model, BlockForwardFn forward, graph::Csr graph,
                     std::shared_ptr<const FeatureStore> features, const IndexArray32& train,
                     const SamplingOptions& sampling, std::uint64_t seed)
      : model_(model),
        forward_(std::move(forward)),
        graph_(graph),
        features_(std::move(features)),
        sampling_(sampling),
        sampler_(graph, sampling.fanouts),
        eval_sampler_(graph,
                      sampling.eval_fanouts.empty() ? sampling.fanouts : sampling.eval_fanouts),
        batches_(train, {.batch_size = sampling.batch_size,
                         .shuffle = sampling.shuffle,
                         .drop_last = sampling.drop_last,
                         .seed = seed}) {
    MOEGNN_CHECK_AS(InvalidArgument, "Trainer", features_ != nullptr,
                    "no feature store vs one with a row per node");
    MOEGNN_CHECK_AS(InvalidArgument, "Trainer", features_->num_rows() == graph_.num_nodes(),
                    "features have ", features_->num_rows(), " rows vs ", graph_.num_nodes(),
                    " nodes in the graph");
    MOEGNN_CHECK_AS(InvalidArgument, "Trainer", sampling.eval_batch_size >= 1,
                    "eval_batch_size is ", sampling.eval_batch_size, " vs >= 1");
  }

  Index num_batches(Index epoch) override {
    batches_.set_epoch(static_cast<std::uint64_t>(epoch));
    return batches_.num_batches();
  }

  BatchLogits forward_batch(Tape& tape, Index b, Rng& rng) override {
    const graph::NodeIds seeds = batches_.batch(b);
    const std::vector<graph::Block> blocks = sampler_.sample(seeds, rng);
    const Tensor x = features_->gather(blocks.front().src_nodes);
    const Var logits = forward_(tape, blocks, tape.constant(x), rng);
    check_logits(logits, seeds.size(), "the block");
    return {logits, seeds};
  }

  std::vector<Tensor> predict(const std::vector<IndexArray32>& sets, Rng& rng) override {
    EvalScope scope(model_);
    if (sampling_.eval_mode == EvalMode::FullGraph) {
      Tape tape(Tape::Mode::Inference);
      const Var logits = forward_(tape, full_blocks(), tape.constant(features_->all()), rng);
      check_logits(logits, graph_.num_nodes(), "the full-graph");
      return gather_sets(logits.value(), sets);
    }
    std::vector<Tensor> out;
    for (const IndexArray32& set : sets) out.push_back(predict_sampled(set, rng));
    return out;
  }

  Index num_nodes() const override { return graph_.num_nodes(); }

 private:
  // Sampled inference over `set` in order, eval_batch_size seeds at a time.
  Tensor predict_sampled(const IndexArray32& set, Rng& rng) {
    Tensor out;
    const auto ids = set.host();
    for (Index lo = 0; lo < set.size(); lo += sampling_.eval_batch_size) {
      const Index hi = std::min(set.size(), lo + sampling_.eval_batch_size);
      const graph::NodeIds seeds(
          ids.subspan(static_cast<std::size_t>(lo), static_cast<std::size_t>(hi - lo)));
      const std::vector<graph::Block> blocks = eval_sampler_.sample(seeds, rng);
      Tape tape(Tape::Mode::Inference);
      const Var logits =
          forward_(tape, blocks, tape.constant(features_->gather(blocks.front().src_nodes)), rng);
      check_logits(logits, hi - lo, "the block");
      if (out.empty()) out = Tensor::empty(set.size(), logits.cols());
      out.host().middleRows(lo, hi - lo) = logits.value().host();
    }
    return out;
  }

  // One whole-graph block per layer (built once; the copies share their arrays).
  const std::vector<graph::Block>& full_blocks() {
    if (full_.empty()) {
      std::vector<graph::NodeId> nodes(static_cast<std::size_t>(graph_.num_nodes()));
      std::iota(nodes.begin(), nodes.end(), 0);
      std::vector<graph::EdgeId> edges(static_cast<std::size_t>(graph_.num_edges()));
      std::iota(edges.begin(), edges.end(), 0);
      const graph::Block block{graph_, graph::NodeIds(nodes), graph_.num_nodes(),
                               graph::EdgeIds(edges)};
      full_.assign(sampling_.fanouts.size(), block);
    }
    return full_;
  }

  layers::Module& model_;
  BlockForwardFn forward_;
  graph::Csr graph_;
  std::shared_ptr<const FeatureStore> features_;
  SamplingOptions sampling_;
  graph::NeighborSampler sampler_;
  graph::NeighborSampler eval_sampler_;
  graph::SeedBatches batches_;
  std::vector<graph::Block> full_;
};

}  // namespace

Tensor InMemoryFeatures::gather(const IndexArray32& ids) const { return ops::gather_rows(x_, ids); }

std::unique_ptr<NodeBatchSource> full_graph_source(layers::Module& model, ForwardFn forward) {
  return std::make_unique<FullGraphSource>(model, std::move(forward));
}

std::unique_ptr<NodeBatchSource> sampled_block_source(layers::Module& model, BlockForwardFn forward,
                                                      graph::Csr graph,
                                                      std::shared_ptr<const FeatureStore> features,
                                                      const IndexArray32& train,
                                                      const SamplingOptions& sampling,
                                                      std::uint64_t seed) {
  return std::make_unique<SampledBlockSource>(model, std::move(forward), std::move(graph),
                                              std::move(features), train, sampling, seed);
}

}  // namespace moegnn::training
