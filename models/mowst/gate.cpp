// SPDX-License-Identifier: Apache-2.0
// ConfidenceGate: the three input modes of Mowst's learnable confidence function.
#include "models/mowst/gate.h"

#include <string>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"

namespace moegnn::mowst {
namespace {

constexpr Index kDispersions = 2;  // [D_var, D_ent]

layers::MLPOptions mlp_options(Index in, Index hidden, Index out, Index layers, float dropout,
                               bool batch_norm) {
  return layers::MLPOptions{.in_channels = in,
                            .hidden_channels = hidden,
                            .out_channels = out,
                            .num_layers = layers,
                            .norm = batch_norm ? layers::MLPOptions::Norm::BatchNorm
                                               : layers::MLPOptions::Norm::None,
                            .dropout = dropout};
}

}  // namespace

ConfidenceGate::ConfidenceGate(const GateOptions& options, Rng& rng) : options_(options) {
  const bool features = options.input != GateInput::Dispersion;
  MOEGNN_CHECK_AS(InvalidArgument, "ConfidenceGate", !features || options.in_features > 0,
                  "in_features is ", options.in_features,
                  " vs > 0; the feature and hypernetwork modes read the node features");
  MOEGNN_CHECK_AS(InvalidArgument, "ConfidenceGate",
                  options.hidden_channels > 0 && options.num_layers >= 1 &&
                      options.hyper_hidden > 0 && options.hyper_num_layers >= 1,
                  "widths and layers must be positive: hidden ", options.hidden_channels,
                  ", layers ", options.num_layers, ", hyper_hidden ", options.hyper_hidden,
                  ", hyper_num_layers ", options.hyper_num_layers, " vs > 0");
  const Index h1 = options.hidden_channels;
  if (options.input == GateInput::Hypernetwork) {
    // W1(x): 2·H1 values per node (the 2 × H1 matrix, row-major), b1(x): H1, w2(x): H1, b2(x): 1.
    const Index outs[] = {kDispersions * h1, h1, h1, 1};
    const char* names[] = {"hyper_w1", "hyper_b1", "hyper_w2", "hyper_b2"};
    for (int i = 0; i < 4; ++i) {
      mlps_.emplace_back(mlp_options(options.in_features, options.hyper_hidden, outs[i],
                                     options.hyper_num_layers, options.hyper_dropout, false),
                         rng);
      register_module(names[i], mlps_.back());
    }
  } else {
    const Index in = kDispersions + (features ? options.in_features : 0);
    mlps_.emplace_back(
        mlp_options(in, h1, 1, options.num_layers, options.dropout, options.batch_norm), rng);
    register_module("gate", mlps_.back());
  }
}

Var ConfidenceGate::forward(Tape& tape, Var dispersion, Var x, Rng& rng) {
  MOEGNN_CHECK_AS(InvalidArgument, "ConfidenceGate::forward", dispersion.cols() == kDispersions,
                  "dispersion has ", dispersion.cols(), " columns vs 2 ([D_var, D_ent])");
  if (options_.input != GateInput::Dispersion) {
    MOEGNN_CHECK_AS(InvalidArgument, "ConfidenceGate::forward", x.valid(),
                    "no node features given vs the feature / hypernetwork mode that reads them");
    MOEGNN_CHECK_AS(InvalidArgument, "ConfidenceGate::forward",
                    x.rows() == dispersion.rows() && x.cols() == options_.in_features, "x is ",
                    x.rows(), " × ", x.cols(), " vs ", dispersion.rows(), " × ",
                    options_.in_features);
  }
  switch (options_.input) {
  case GateInput::Dispersion:
    return ops::sigmoid(tape, mlps_[0].forward(tape, dispersion, rng));
  case GateInput::DispersionFeatures:
    return ops::sigmoid(tape, mlps_[0].forward(tape, ops::concat_cols(tape, {dispersion, x}), rng));
  case GateInput::Hypernetwork:
    break;
  }
  const Index h1 = options_.hidden_channels;
  Var w1 = mlps_[0].forward(tape, x, rng);  // m × 2·H1
  Var b1 = mlps_[1].forward(tape, x, rng);  // m × H1
  Var w2 = mlps_[2].forward(tape, x, rng);  // m × H1
  Var b2 = mlps_[3].forward(tape, x, rng);  // m × 1
  // dᵀ W1 per node = d_0 · W1[0, :] + d_1 · W1[1, :]; no nonlinearity before w2, as the reference.
  Var d0 = ops::slice_cols(tape, dispersion, 0, 1);
  Var d1 = ops::slice_cols(tape, dispersion, 1, 2);
  Var hidden = ops::add(tape, ops::mul(tape, ops::slice_cols(tape, w1, 0, h1), d0),
                        ops::mul(tape, ops::slice_cols(tape, w1, h1, 2 * h1), d1));
  hidden = ops::add(tape, hidden, b1);
  Var logit = ops::add(tape, ops::sum(tape, ops::mul(tape, hidden, w2), ops::Over::Cols), b2);
  return ops::sigmoid(tape, logit);
}

}  // namespace moegnn::mowst
