// SPDX-License-Identifier: Apache-2.0
// GATConv: construction, graph preparation and forward. The per-head scores a_srcᵀ W x_j and
// a_dstᵀ W x_i come from one GEMM of W x with a (heads·C) × (2·heads) block matrix built from the
// two attention vectors, so the weight gradients are plain (deterministic) matmul gradients.
#include "layers/gat_conv.h"

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "core/ops/nn.h"
#include "core/ops/shape.h"
#include "graph/transform.h"
#include "layers/detail/message_passing.h"
#include "layers/init.h"
#include "layers/ops/edge_softmax.h"
#include "layers/ops/sddmm.h"
#include "layers/ops/spmm.h"

namespace moegnn::layers {
namespace {

// B (H·C × 2H) with B[h·C + c, h] = att_src[h·C + c] and B[h·C + c, H + h] = att_dst[h·C + c],
// zero elsewhere, so (W x) · B = [a_src scores | a_dst scores]. B is small (H·C × 2H): it is laid
// out on the host and moved to the vectors' device; the backward reads B's gradient the same way.
Var attention_blocks(Tape& tape, Var att_src, Var att_dst, Index heads) {
  const Device device = att_src.value().device();
  const Index width = att_src.cols();
  const Index c = width / heads;
  const Tensor src = att_src.value().to(Device::Cpu);
  const Tensor dst = att_dst.value().to(Device::Cpu);
  Tensor b = Tensor::zeros(width, 2 * heads);
  for (Index k = 0; k < width; ++k) {
    b.data()[k * 2 * heads + k / c] = src.data()[k];
    b.data()[k * 2 * heads + heads + k / c] = dst.data()[k];
  }
  return tape.record(b.to(device), {att_src, att_dst}, [heads, c, width](Tape::Step& s) {
    const Tensor g_host = s.grad_out.to(Device::Cpu);
    const float* g = g_host.data();
    for (int side = 0; side < 2; ++side) {
      if (s.grad_in[side] == nullptr) continue;
      Tensor d_host = s.grad_in[side]->to(Device::Cpu);  // the same storage on the CPU
      float* d = d_host.data();
      for (Index k = 0; k < width; ++k) d[k] += g[k * 2 * heads + side * heads + k / c];
      s.grad_in[side]->copy_from(d_host);  // a no-op on the CPU
    }
  });
}

// Mean of the H column blocks of x (m × H·C) -> m × C.
Var mean_over_heads(Tape& tape, Var x, Index heads) {
  const Index c = x.cols() / heads;
  Var total = ops::slice_cols(tape, x, 0, c);
  for (Index h = 1; h < heads; ++h)
    total = ops::add(tape, total, ops::slice_cols(tape, x, h * c, (h + 1) * c));
  return ops::mul_scalar(tape, total, 1.0f / static_cast<float>(heads));
}

}  // namespace

GATConv::GATConv(const GATConvOptions& options, Rng& rng) : options_(options) {
  MOEGNN_CHECK_AS(InvalidArgument, "GATConv",
                  options.in_channels > 0 && options.out_channels > 0 && options.heads > 0,
                  "channels and heads must be positive: in ", options.in_channels, ", out ",
                  options.out_channels, ", heads ", options.heads, " vs > 0");
  MOEGNN_CHECK_AS(InvalidArgument, "GATConv", options.dropout >= 0.0f && options.dropout < 1.0f,
                  "dropout is ", options.dropout, " vs [0, 1)");
  MOEGNN_CHECK_AS(InvalidArgument, "GATConv", options.negative_slope >= 0.0f, "negative_slope is ",
                  options.negative_slope, " vs >= 0");
  const Index width = options.heads * options.out_channels;
  weight_ = Parameter(glorot_uniform(options.in_channels, width, rng), "lin.weight");
  // PyG's glorot on a 1 × H × C tensor uses fans H and C.
  att_src_ = Parameter(glorot_uniform(options.heads, options.out_channels, rng).reshape(1, width),
                       "att_src");
  att_dst_ = Parameter(glorot_uniform(options.heads, options.out_channels, rng).reshape(1, width),
                       "att_dst");
  if (options.bias) bias_ = Parameter(Tensor::zeros(1, out_width()), "bias");
  register_parameter("lin.weight", weight_);
  register_parameter("att_src", att_src_);
  register_parameter("att_dst", att_dst_);
  if (options.bias) register_parameter("bias", bias_);
}

Index GATConv::out_width() const {
  return options_.concat ? options_.heads * options_.out_channels : options_.out_channels;
}

graph::Csr GATConv::prepare(const graph::Csr& raw) const {
  return options_.add_self_loops ? graph::add_self_loops(raw) : raw;
}

Var GATConv::forward(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) {
  return run(tape, graph, x, &rng);
}

Var GATConv::forward(Tape& tape, const graph::Csr& graph, Var x) {
  MOEGNN_CHECK_AS(InvalidArgument, "GATConv::forward", options_.dropout == 0.0f || !training(),
                  "attention dropout is ", options_.dropout,
                  " in training mode vs no Rng for the mask; call forward(tape, graph, x, rng)");
  return run(tape, graph, x, nullptr);
}

Var GATConv::run(Tape& tape, const graph::Csr& graph, Var x, Rng* rng) {
  // 1. Validate.
  detail::check_message_input("GATConv::forward", graph, x, options_.in_channels);
  const Index heads = options_.heads;
  // 2. Transform, then score sources and targets per head (one GEMM for both).
  const Var h = ops::matmul(tape, x, tape.param(weight_));
  const Var blocks = attention_blocks(tape, tape.param(att_src_), tape.param(att_dst_), heads);
  const Var scores = ops::matmul(tape, h, blocks);
  const Var a_src = ops::slice_cols(tape, scores, 0, heads);
  const Var a_dst = ops::slice_cols(tape, detail::root_rows(tape, graph, scores), heads, 2 * heads);
  // 3. Attention coefficients over each target's in-edges (eqs. 1-3), then dropout on them.
  Var alpha =
      ops::leaky_relu(tape, ops::sddmm_add(tape, graph, a_dst, a_src), options_.negative_slope);
  alpha = ops::edge_softmax(tape, graph, alpha);
  if (rng != nullptr) alpha = ops::dropout(tape, alpha, options_.dropout, *rng, training());
  // 4. Weighted sum of the transformed sources, per head (eq. 4), and the head merge (eqs. 5-6).
  Var out = ops::spmm(tape, graph, alpha, h);
  if (!options_.concat && heads > 1) out = mean_over_heads(tape, out, heads);
  return options_.bias ? ops::add_bias(tape, out, tape.param(bias_)) : out;
}

}  // namespace moegnn::layers
