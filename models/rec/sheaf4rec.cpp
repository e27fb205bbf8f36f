// SPDX-License-Identifier: Apache-2.0
// Sheaf4Rec's layers: the sheaf learner and Laplacian of layers/sheaf, a bias-carrying linear map
// and one block-sparse product per layer.
#include "models/rec/sheaf4rec.h"

#include <cmath>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/shape.h"
#include "layers/linear.h"
#include "layers/ops/block_spmm.h"
#include "layers/sheaf/sheaf_laplacian.h"
#include "layers/sheaf/sheaf_learner.h"

namespace moegnn::rec {

namespace sheaf = layers::sheaf;

// One layer's parameters: the map learner a (dim × 2, no bias) and the linear map W, b.
struct Sheaf4Rec::Layer final : layers::Module {
  Layer(Index dim, Rng& rng)
      : learner({dim, 1, sheaf::LearnerActivation::Tanh}, rng),
        linear({dim, dim, true}, rng) {
    // torch.nn.Linear's default initialisation, U(±1/√dim) for W and b, as the reference.
    const float bound = 1.0f / std::sqrt(static_cast<float>(dim));
    for (Parameter* p : {&linear.weight(), &linear.bias()})
      for (Index i = 0; i < p->value.size(); ++i) p->value.data()[i] = rng.uniform(-bound, bound);
    register_module("sheaf_learner", learner);
    register_module("linear", linear);
  }
  sheaf::SheafLearner learner;
  layers::Linear linear;
};

namespace {

sheaf::SheafPattern checked_pattern(const graph::Csr& g, Index num_nodes) {
  MOEGNN_CHECK_AS(InvalidArgument, "Sheaf4Rec", g.is_square() && g.num_nodes() == num_nodes,
                  "graph is ", g.num_rows(), " × ", g.num_cols(), " vs ", num_nodes, " × ",
                  num_nodes, " (users + items); build it with datasets::bipartite_graph");
  return sheaf::make_sheaf_pattern(g.to(Device::Cpu));
}

}  // namespace

Sheaf4Rec::Sheaf4Rec(Index num_users, Index num_items, const RecModelOptions& options,
                     const graph::Csr& graph)
    : RecModel(num_users, num_items, options),
      pattern_(checked_pattern(graph, num_users + num_items)) {
  // Its own stream, so E⁰ is the same table as BPR-MF's and LightGCN's for one seed.
  Rng rng(options.seed ^ 0x5eaf4ec0ffee1234ULL);
  for (Index k = 0; k < options.num_layers; ++k) {
    layers_.push_back(std::make_unique<Layer>(options.embedding_dim, rng));
    register_module("layer" + std::to_string(k), *layers_.back());
  }
}

Sheaf4Rec::~Sheaf4Rec() = default;

Var Sheaf4Rec::forward(Tape& tape) {
  Var x = tape.param(embedding());
  std::vector<Var> outputs{x};
  for (const auto& layer : layers_) {
    Var maps = layer->learner.forward(tape, pattern_, x);                  // 2E × 1
    Var laplacian = sheaf::diag_sheaf_laplacian(tape, pattern_, maps, 1);  // nnz × 1
    Var y = layer->linear.forward(tape, x);                                // X Wᵀ + b
    x = ops::sub(tape, x, ops::block_spmm(tape, pattern_.blocks, laplacian, y, 1));
    outputs.push_back(x);
  }
  if (outputs.size() == 1) return x;
  if (options().readout == Readout::Concat) return ops::concat_cols(tape, outputs);
  Var sum = outputs.front();
  for (std::size_t k = 1; k < outputs.size(); ++k) sum = ops::add(tape, sum, outputs[k]);
  return ops::mul_scalar(tape, sum, 1.0f / static_cast<float>(outputs.size()));
}

}  // namespace moegnn::rec
