// SPDX-License-Identifier: Apache-2.0
// LinkEncoder: input map, convolutions, residuals and jumping knowledge (ncnc.md §3).
#include "models/link/encoder.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <vector>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/nn.h"
#include "core/ops/shape.h"
#include "graph/normalize.h"
#include "layers/ops/spmm.h"

namespace moegnn::models {
namespace {

bool is_pure(LinkConv conv) { return conv == LinkConv::PureGcn || conv == LinkConv::PureSum; }

void check_rate(float p, const char* name) {
  MOEGNN_CHECK_AS(InvalidArgument, "LinkEncoder", p >= 0.0f && p < 1.0f, name, " is ", p,
                  " vs a rate in [0, 1)");
}

// w[0, l] · x with gradients to x and to w[0, l] (JK's raw layer weights).
Var scale_by(Tape& tape, Var x, Var w, Index l) {
  const float a = w.value().host()(0, l);
  Tensor out = Tensor::empty(x.rows(), x.cols());
  out.host() = a * x.value().host();
  return tape.record(std::move(out), {x, w}, [a, l](Tape::Step& s) {
    if (s.grad_in[0] != nullptr) s.grad_in[0]->host() += a * s.grad_out.host();
    if (s.grad_in[1] != nullptr)
      s.grad_in[1]->host()(0, l) += s.grad_out.host().cwiseProduct(s.in[0]->host()).sum();
  });
}

// At most a quarter of the entries non-zero (checked on the first 64 rows).
bool sparse_enough(const Tensor& x) {
  const Index rows = std::min<Index>(x.rows(), 64);
  Index nnz = 0;
  for (Index i = 0; i < rows * x.cols(); ++i) nnz += x.data()[i] != 0.0f ? 1 : 0;
  return 4 * nnz <= rows * x.cols();
}

// x as a CSR with each non-zero kept with probability 1 - p and scaled by 1 / (1 - p).
graph::Csr dropped_sparse(const Tensor& x, float p, Rng& rng) {
  const std::uint64_t key = rng.split();
  const float scale = p > 0.0f ? 1.0f / (1.0f - p) : 1.0f;
  std::vector<graph::EdgeId> ptr{0};
  std::vector<graph::NodeId> col;
  std::vector<float> val;
  const float* data = x.data();
  constexpr Index kBlock = 16;  // skipped whole when all zero: a vectorised test per 64 bytes
  for (Index i = 0; i < x.rows(); ++i) {
    for (Index j0 = 0; j0 < x.cols(); j0 += kBlock) {
      const Index j1 = std::min(x.cols(), j0 + kBlock);
      std::uint32_t any = 0;  // OR of the magnitudes' bits: 0 iff every entry is ±0
      for (Index j = j0; j < j1; ++j)
        any |= std::bit_cast<std::uint32_t>(data[i * x.cols() + j]) & 0x7fffffffu;
      if (any == 0) continue;
      for (Index j = j0; j < j1; ++j) {
        const Index at = i * x.cols() + j;
        if (data[at] == 0.0f) continue;
        if (p > 0.0f && Rng::to_unit(Rng::bits(key, static_cast<std::uint64_t>(at))) < p) continue;
        col.push_back(static_cast<graph::NodeId>(j));
        val.push_back(data[at] * scale);
      }
    }
    ptr.push_back(static_cast<graph::EdgeId>(col.size()));
  }
  return graph::Csr(x.rows(), x.cols(), graph::EdgeIds(ptr), graph::NodeIds(col),
                    Tensor::from_vector(static_cast<Index>(val.size()), 1, val),
                    graph::Validate::Trusted);
}

}  // namespace

LinkEncoder::LinkEncoder(const LinkEncoderOptions& options, Rng& rng) : options_(options) {
  MOEGNN_CHECK(options.hidden >= 1, "hidden is ", options.hidden, " vs >= 1");
  MOEGNN_CHECK(options.layers >= 0, "layers is ", options.layers, " vs >= 0");
  MOEGNN_CHECK(options.in_channels > 0 || options.num_nodes >= 1, "no features and num_nodes ",
               options.num_nodes, " vs >= 1 (the rows of the node embedding)");
  check_rate(options.xdp, "xdp");
  check_rate(options.gnndp, "gnndp");
  check_rate(options.tdp, "tdp");
  const Index h = options.hidden;
  if (options.in_channels == 0) {
    // The reference initialises the table orthogonally; rows of N(0, 1/h) are near-orthogonal.
    const float scale = 1.0f / std::sqrt(static_cast<float>(h));
    Tensor table = Tensor::empty(options.num_nodes, h);
    for (Index i = 0; i < table.size(); ++i) table.data()[i] = scale * rng.normal();
    embedding_ = Parameter(table);
    register_parameter("embedding", embedding_);
  } else if (is_pure(options.conv) || options.layers == 0) {
    input_ = std::make_unique<layers::Linear>(layers::LinearOptions{options.in_channels, h}, rng);
    register_module("input", *input_);
  }
  Index in = input_ || options.in_channels == 0 ? h : options.in_channels;
  for (Index l = 0; l < options.layers && !is_pure(options.conv); ++l) {
    const std::string name = "conv" + std::to_string(l);
    if (options.conv == LinkConv::Gcn) {
      register_module(name, gcn_.emplace_back(layers::GCNConvOptions{in, h}, rng));
    } else {
      layers::SAGEConvOptions o;
      o.in_channels = in;
      o.out_channels = h;
      register_module(name, sage_.emplace_back(o, rng));
    }
    if (options.ln) register_module("norm" + std::to_string(l), norms_.emplace_back(
                                                                    layers::LayerNormOptions{h}));
    in = h;
  }
  if (options.jk && options.layers > 0) {
    Tensor w = Tensor::empty(1, options.layers);
    for (Index l = 0; l < options.layers; ++l) w.data()[l] = rng.normal();
    jk_weights_ = Parameter(w);
    register_parameter("jk", jk_weights_);
  }
}

Var LinkEncoder::forward(Tape& tape, const graph::Csr& adj, const Tensor& x, Rng& rng) {
  const Index n = adj.num_nodes();
  const bool train = training();
  Var h;
  if (options_.in_channels == 0) {
    MOEGNN_CHECK(embedding_.value.rows() == n, "graph has ", n, " nodes vs ",
                 embedding_.value.rows(), " embedding rows");
    h = ops::dropout(tape, tape.param(embedding_), options_.gnndp, rng, train);
  } else {
    MOEGNN_CHECK(x.rows() == n && x.cols() == options_.in_channels, "x is ", x.shape_string(),
                 " vs ", n, " × ", options_.in_channels, " (nodes × in_channels)");
    if (input_ && sparse_enough(x)) {
      // Bag-of-words features are ~1 % non-zero: Dropout(xdp) then X·W + b as a sparse product
      // over the surviving entries (the same map; the dense product costs 50-100× more).
      const Var w = ops::spmm(tape, dropped_sparse(x, train ? options_.xdp : 0.0f, rng),
                              tape.param(input_->weight()));
      h = ops::add_bias(tape, w, tape.param(input_->bias()));
      if (options_.gnndp > 1e-6f) h = ops::dropout(tape, h, options_.gnndp, rng, train);
    } else if (input_) {
      h = ops::dropout(tape, tape.constant(x), options_.xdp, rng, train);
      h = input_->forward(tape, h);
      if (options_.gnndp > 1e-6f) h = ops::dropout(tape, h, options_.gnndp, rng, train);
    } else {
      h = ops::dropout(tape, tape.constant(x), options_.xdp, rng, train);
    }
  }
  graph::Csr propagate = adj;
  if (options_.conv == LinkConv::PureGcn || options_.conv == LinkConv::Gcn)
    propagate = graph::gcn_norm(adj);
  std::vector<Var> outputs;
  for (Index l = 0; l < options_.layers; ++l) {
    const bool last = l + 1 == options_.layers;
    Var y;
    const auto li = static_cast<std::size_t>(l);
    if (is_pure(options_.conv)) {
      y = ops::spmm(tape, propagate, h);
      if (last) y = ops::dropout(tape, y, options_.tdp, rng, train);
    } else {
      y = options_.conv == LinkConv::Gcn ? gcn_[li].forward(tape, propagate, h)
                                         : sage_[li].forward(tape, propagate, h);
      if (!last) {
        if (options_.ln) y = norms_[li].forward(tape, y);
        y = ops::relu(tape, ops::dropout(tape, y, options_.gnndp, rng, train));
      }
    }
    h = options_.res && y.cols() == h.cols() ? ops::add(tape, y, h) : y;
    if (options_.jk) outputs.push_back(h);
  }
  if (options_.jk && !outputs.empty()) {
    Var w = tape.param(jk_weights_);
    Var sum;
    for (std::size_t l = 0; l < outputs.size(); ++l) {
      const Var term = scale_by(tape, outputs[l], w, static_cast<Index>(l));
      sum = l == 0 ? term : ops::add(tape, sum, term);
    }
    h = sum;
  }
  return h;
}

}  // namespace moegnn::models
