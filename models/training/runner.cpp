// SPDX-License-Identifier: Apache-2.0
// Full-graph and neighbour-sampled epochs. Sampled training follows DGL's recipe: per batch of
// training seeds, sample blocks with the fanouts (graph::NeighborSampler, drawing from the
// trainer's Rng so a resumed run replays the same samples), gather the input features of the first
// block's sources, run the model's block forward, and take the cross-entropy over the seeds.
// Full-graph evaluation feeds the model one block per layer that is the whole graph (every node a
// destination and a source), i.e. exact layer-wise inference without sampling noise.
#include "models/training/detail/runner.h"

#include <numeric>

#include "core/error.h"
#include "core/ops/loss.h"
#include "core/ops/shape.h"
#include "core/optim/clip.h"
#include "graph/sampler.h"
#include "graph/seed_batches.h"

namespace moegnn::training::detail {
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

class FullBatchRunner final : public Runner {
 public:
  FullBatchRunner(layers::Module& model, ForwardFn forward, const NodeSplit& split)
      : model_(model),
        forward_(std::move(forward)),
        split_(split) {}

  double train_epoch(Index, Rng& rng, Stepper& stepper) override {
    return stepper.step([&](Tape& tape) {
      return ops::cross_entropy(tape, forward_(tape, rng), split_.labels, split_.train);
    });
  }

  std::vector<Tensor> predict(const std::vector<IndexArray32>& sets, Rng& rng) override {
    EvalScope scope(model_);
    Tape tape(Tape::Mode::Inference);
    return gather_sets(forward_(tape, rng).value(), sets);
  }

 private:
  layers::Module& model_;
  ForwardFn forward_;
  NodeSplit split_;
};

class MiniBatchRunner final : public Runner {
 public:
  MiniBatchRunner(layers::Module& model, BlockForwardFn forward, graph::Csr graph, Tensor features,
                  const NodeSplit& split, const SamplingOptions& sampling, std::uint64_t seed)
      : model_(model),
        forward_(std::move(forward)),
        graph_(graph),
        features_(std::move(features)),
        labels_(split.labels),
        sampling_(sampling),
        sampler_(graph, sampling.fanouts),
        eval_sampler_(graph,
                      sampling.eval_fanouts.empty() ? sampling.fanouts : sampling.eval_fanouts),
        batches_(split.train, {.batch_size = sampling.batch_size,
                               .shuffle = sampling.shuffle,
                               .drop_last = sampling.drop_last,
                               .seed = seed}) {
    MOEGNN_CHECK_AS(InvalidArgument, "Trainer", features_.rows() == graph_.num_nodes(),
                    "features have ", features_.rows(), " rows vs ", graph_.num_nodes(),
                    " nodes in the graph");
    MOEGNN_CHECK_AS(InvalidArgument, "Trainer", labels_.size() == graph_.num_nodes(),
                    "labels have ", labels_.size(), " entries vs ", graph_.num_nodes(),
                    " nodes in the graph");
    MOEGNN_CHECK_AS(InvalidArgument, "Trainer", sampling.eval_batch_size >= 1,
                    "eval_batch_size is ", sampling.eval_batch_size, " vs >= 1");
  }

  double train_epoch(Index epoch, Rng& rng, Stepper& stepper) override {
    batches_.set_epoch(static_cast<std::uint64_t>(epoch));
    double loss_sum = 0.0;
    Index rows = 0;
    for (Index b = 0; b < batches_.num_batches(); ++b) {
      const graph::NodeIds seeds = batches_.batch(b);
      const std::vector<graph::Block> blocks = sampler_.sample(seeds, rng);
      const Tensor x = ops::gather_rows(features_, blocks.front().src_nodes);
      const IndexArray32 y = labels_of(seeds);
      const float loss = stepper.step([&](Tape& tape) {
        const Var logits = forward_(tape, blocks, tape.constant(x), rng);
        check_logits(logits, seeds.size(), "the block");
        return ops::cross_entropy(tape, logits, y);
      });
      loss_sum += static_cast<double>(loss) * static_cast<double>(seeds.size());
      rows += seeds.size();
    }
    return rows > 0 ? loss_sum / static_cast<double>(rows) : kNotComputed;
  }

  std::vector<Tensor> predict(const std::vector<IndexArray32>& sets, Rng& rng) override {
    EvalScope scope(model_);
    if (sampling_.eval_mode == EvalMode::FullGraph) {
      Tape tape(Tape::Mode::Inference);
      const Var logits = forward_(tape, full_blocks(), tape.constant(features_), rng);
      check_logits(logits, graph_.num_nodes(), "the full-graph");
      return gather_sets(logits.value(), sets);
    }
    std::vector<Tensor> out;
    for (const IndexArray32& set : sets) out.push_back(predict_sampled(set, rng));
    return out;
  }

 private:
  IndexArray32 labels_of(const graph::NodeIds& seeds) const {
    IndexArray32 y(seeds.size());
    const auto all = labels_.host();
    const auto s = seeds.host();
    for (std::size_t i = 0; i < s.size(); ++i) y.host()[i] = all[static_cast<std::size_t>(s[i])];
    return y;
  }

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
      const Var logits = forward_(
          tape, blocks, tape.constant(ops::gather_rows(features_, blocks.front().src_nodes)), rng);
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
  Tensor features_;
  IndexArray32 labels_;
  SamplingOptions sampling_;
  graph::NeighborSampler sampler_;
  graph::NeighborSampler eval_sampler_;
  graph::SeedBatches batches_;
  std::vector<graph::Block> full_;
};

}  // namespace

float Stepper::step(const std::function<Var(Tape&)>& loss_fn) {
  model_.train();
  optimizer_.zero_grad();
  Tape tape;
  const Var loss = loss_fn(tape);
  tape.backward(loss);
  if (clip_ > 0.0f) optim::clip_grad_norm(optimizer_.parameters(), clip_);
  optimizer_.step();
  return loss.value().item();
}

std::unique_ptr<Runner> make_full_batch_runner(layers::Module& model, ForwardFn forward,
                                               const NodeSplit& split) {
  return std::make_unique<FullBatchRunner>(model, std::move(forward), split);
}

std::unique_ptr<Runner> make_mini_batch_runner(layers::Module& model, BlockForwardFn forward,
                                               graph::Csr graph, Tensor features,
                                               const NodeSplit& split,
                                               const SamplingOptions& sampling,
                                               std::uint64_t seed) {
  return std::make_unique<MiniBatchRunner>(model, std::move(forward), std::move(graph),
                                           std::move(features), split, sampling, seed);
}

}  // namespace moegnn::training::detail
