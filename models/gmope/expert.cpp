// SPDX-License-Identifier: Apache-2.0
// PromptExpert: GCN layers with the prompt's first-layer term as a rank-1 product.
#include "models/gmope/expert.h"

#include <string>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "core/ops/nn.h"
#include "core/ops/shape.h"
#include "layers/init.h"
#include "layers/ops/spmm.h"

namespace moegnn::models {
namespace {

const PromptExpertOptions& checked(const PromptExpertOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, "PromptExpert", o.in_channels > 0 && o.hidden_channels > 0,
                  "channels ", o.in_channels, " -> ", o.hidden_channels, " vs positive widths");
  MOEGNN_CHECK_AS(InvalidArgument, "PromptExpert", o.prompt_channels >= 0 && o.num_layers >= 1,
                  "prompt_channels ", o.prompt_channels, ", num_layers ", o.num_layers,
                  " vs >= 0 and >= 1");
  return o;
}

Var leaf(Tape& tape, Parameter& p, bool trainable) {
  return trainable ? tape.param(p) : tape.constant(p.value);
}

}  // namespace

PromptExpert::PromptExpert(const PromptExpertOptions& options, Rng& rng)
    : options_(checked(options)) {
  const Index d0 = options_.in_channels, dp = options_.prompt_channels,
              h = options_.hidden_channels;
  // W^(1) = [W_x; W_p] is one Glorot matrix of fan-in d0 + d_p, split by rows.
  const Tensor w0 = layers::glorot_uniform(d0 + dp, h, rng);
  w0x_ = Parameter(Tensor::from(w0.host().topRows(d0)));
  register_parameter("w0_x", w0x_);
  if (dp > 0) {
    w0p_ = Parameter(Tensor::from(w0.host().bottomRows(dp)));
    prompt_ = Parameter(layers::glorot_uniform(1, dp, rng));
    register_parameter("prompt", prompt_);
    register_parameter("w0_p", w0p_);
  }
  for (Index l = 0; l < options_.num_layers; ++l) {
    w_.emplace_back(l == 0 ? Tensor{} : layers::glorot_uniform(h, h, rng));
    b_.emplace_back(Tensor::zeros(1, h));
  }
  register_parameter("b0", b_[0]);
  for (Index l = 1; l < options_.num_layers; ++l) {
    std::string w = "w", b = "b";
    w += std::to_string(l);
    b += std::to_string(l);
    register_parameter(w, w_[static_cast<std::size_t>(l)]);
    register_parameter(b, b_[static_cast<std::size_t>(l)]);
  }
}

std::vector<Parameter*> PromptExpert::weights() {
  std::vector<Parameter*> out{&w0x_};
  if (options_.prompt_channels > 0) out.push_back(&w0p_);
  out.push_back(&b_[0]);
  for (Index l = 1; l < options_.num_layers; ++l) {
    out.push_back(&w_[static_cast<std::size_t>(l)]);
    out.push_back(&b_[static_cast<std::size_t>(l)]);
  }
  return out;
}

Var PromptExpert::forward(Tape& tape, const graph::Csr& adj, const Tensor& s, Var ax, Rng& rng,
                          bool weights_trainable, bool prompt_trainable, const Tensor* base,
                          bool propagate_last) {
  const Index n = adj.num_nodes(), h = options_.hidden_channels;
  MOEGNN_CHECK_AS(InvalidArgument, "PromptExpert::forward",
                  s.rows() == n && s.cols() == 1 &&
                      (base != nullptr ||
                       (ax.valid() && ax.cols() == options_.in_channels && ax.rows() == n)),
                  "Âx is ", ax.valid() ? ax.value().shape_string() : std::string("missing"),
                  ", s ", s.shape_string(), ", graph ", n, " nodes vs N × ", options_.in_channels,
                  " and N × 1");
  const bool wt = weights_trainable;
  MOEGNN_CHECK_AS(InvalidArgument, "PromptExpert::forward",
                  base == nullptr || (!wt && base->rows() == n && base->cols() == h),
                  "a cached layer-1 term with trainable weights or of shape ",
                  base == nullptr ? std::string() : base->shape_string(),
                  " vs frozen weights and N × hidden");
  MOEGNN_CHECK_AS(InvalidArgument, "PromptExpert::forward",
                  propagate_last || options_.num_layers >= 2,
                  "an unpropagated last layer of a 1-layer expert vs num_layers >= 2 (layer 1 "
                  "holds the prompt term, which is propagated already)");
  // Layer 1: (Â X̃) W_x + s (pᵀ W_p) + b.
  Var z = base != nullptr ? tape.constant(*base) : ops::matmul(tape, ax, leaf(tape, w0x_, wt));
  if (options_.prompt_channels > 0) {
    const Var pw =
        ops::matmul(tape, leaf(tape, prompt_, prompt_trainable), leaf(tape, w0p_, wt));  // 1 × h
    z = ops::add(tape, z, ops::matmul(tape, tape.constant(s), pw));
  }
  z = ops::add_bias(tape, z, leaf(tape, b_[0], wt));
  for (Index l = 1; l < options_.num_layers; ++l) {
    const auto i = static_cast<std::size_t>(l);
    z = ops::dropout(tape, ops::relu(tape, z), options_.dropout, rng, training());
    z = ops::matmul(tape, z, leaf(tape, w_[i], wt));
    if (l + 1 == options_.num_layers && !propagate_last) return z;
    z = ops::add_bias(tape, ops::spmm(tape, adj, z), leaf(tape, b_[i], wt));
  }
  return z;
}

Var PromptExpert::last_bias(Tape& tape, bool trainable) {
  return leaf(tape, b_.back(), trainable);
}

Tensor PromptExpert::base_term(const Tensor& ax) const { return ops::matmul(ax, w0x_.value); }

Var PromptExpert::forward_explicit(Tape& tape, const graph::Csr& adj, Var x) {
  Var xh = x;
  Var w = tape.param(w0x_);
  if (options_.prompt_channels > 0) {
    const Var ones = tape.constant(Tensor::ones(x.rows(), 1));
    xh = ops::concat_cols(tape, {x, ops::matmul(tape, ones, tape.param(prompt_))});
    w = ops::concat_rows(tape, {w, tape.param(w0p_)});
  }
  Var z = ops::add_bias(tape, ops::matmul(tape, ops::spmm(tape, adj, xh), w), tape.param(b_[0]));
  for (Index l = 1; l < options_.num_layers; ++l) {
    const auto i = static_cast<std::size_t>(l);
    z = ops::relu(tape, z);
    z = ops::spmm(tape, adj, ops::matmul(tape, z, tape.param(w_[i])));
    z = ops::add_bias(tape, z, tape.param(b_[i]));
  }
  return z;
}

}  // namespace moegnn::models
