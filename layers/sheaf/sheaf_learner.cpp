// SPDX-License-Identifier: Apache-2.0
// The sheaf learner and the edge-weight learner: a node-level product, then per-edge gathers.
#include "layers/sheaf/sheaf_learner.h"

#include <cmath>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "core/ops/shape.h"
#include "layers/sheaf/edge_weight_learner.h"

namespace moegnn::layers::sheaf {
namespace {

Tensor uniform_weight(Index rows, Index cols, float bound, Rng& rng) {
  Tensor t = Tensor::empty(rows, cols);
  for (Index i = 0; i < t.size(); ++i) t.data()[i] = rng.uniform(-bound, bound);
  return t;
}

// Σ of the source half at u and the destination half at v, per directed edge: 2E × p.
Var edge_scores(Tape& tape, const SheafPattern& p, Var x, Parameter& weight, Index out) {
  Var both = ops::matmul(tape, x, tape.param(weight));  // N × 2p
  Var src = ops::gather_rows(tape, ops::slice_cols(tape, both, 0, out), p.edge_src);
  Var dst = ops::gather_rows(tape, ops::slice_cols(tape, both, out, 2 * out), p.edge_dst);
  return ops::add(tape, src, dst);
}

void check_x(const char* function, const SheafPattern& p, const Var& x, Index in) {
  MOEGNN_CHECK_AS(InvalidArgument, function, x.rows() == p.num_nodes && x.cols() == in, "x: ",
                  x.value().shape_string(), " vs ", p.num_nodes, " × ", in,
                  " (nodes × flattened stalk width)");
}

}  // namespace

SheafLearner::SheafLearner(const SheafLearnerOptions& options, Rng& rng) : options_(options) {
  MOEGNN_CHECK(options.in_channels > 0 && options.out_channels > 0, "channels: in ",
               options.in_channels, ", out ", options.out_channels, " vs > 0");
  const float bound = 1.0f / std::sqrt(2.0f * static_cast<float>(options.in_channels));
  weight_ = Parameter(uniform_weight(options.in_channels, 2 * options.out_channels, bound, rng));
  register_parameter("weight", weight_);
}

Var SheafLearner::forward(Tape& tape, const SheafPattern& pattern, Var x) {
  check_x("SheafLearner::forward", pattern, x, options_.in_channels);
  Var s = edge_scores(tape, pattern, x, weight_, options_.out_channels);
  switch (options_.activation) {
  case LearnerActivation::Tanh: return ops::tanh(tape, s);
  case LearnerActivation::Elu: return ops::elu(tape, s);
  case LearnerActivation::Identity: break;
  }
  return s;
}

EdgeWeightLearner::EdgeWeightLearner(Index in_channels, Rng& rng) : in_channels_(in_channels) {
  MOEGNN_CHECK(in_channels > 0, "in_channels: ", in_channels, " vs > 0");
  const float bound = 1.0f / std::sqrt(2.0f * static_cast<float>(in_channels));
  weight_ = Parameter(uniform_weight(in_channels, 2, bound, rng));
  register_parameter("weight", weight_);
}

Var EdgeWeightLearner::forward(Tape& tape, const SheafPattern& pattern, Var x) {
  check_x("EdgeWeightLearner::forward", pattern, x, in_channels_);
  Var s = ops::sigmoid(tape, edge_scores(tape, pattern, x, weight_, 1));
  return ops::mul(tape, s, ops::gather_rows(tape, s, pattern.edge_rev));
}

}  // namespace moegnn::layers::sheaf
