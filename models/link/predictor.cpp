// SPDX-License-Identifier: Apache-2.0
// LinkPredictor: NCN's neighbour branch and pair branch, GAE's MLP and dot decoders.
#include "models/link/predictor.h"

#include <string>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/nn.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "graph/common_neighbors.h"
#include "layers/ops/cn_aggregate.h"

namespace moegnn::models {
namespace {

// β · x for a 1 × 1 learned β, with gradients to both.
Var scale(Tape& tape, Var x, Var beta) {
  const float b = beta.value().host()(0, 0);
  Tensor out = Tensor::empty(x.rows(), x.cols());
  out.host() = b * x.value().host();
  return tape.record(std::move(out), {x, beta}, [b](Tape::Step& s) {
    if (s.grad_in[0] != nullptr) s.grad_in[0]->host() += b * s.grad_out.host();
    if (s.grad_in[1] != nullptr)
      s.grad_in[1]->host()(0, 0) += s.grad_out.host().cwiseProduct(s.in[0]->host()).sum();
  });
}

}  // namespace

PredictorMlp::PredictorMlp(const char* pattern, Index in, Index hidden, bool ln, bool to_one,
                           Rng& rng)
    : pattern_(pattern) {
  const auto last_l = pattern_.rfind('L');
  Index width = in;
  for (std::size_t k = 0; k < pattern_.size(); ++k) {
    if (pattern_[k] == 'L') {
      const Index out = to_one && k == last_l ? 1 : hidden;
      register_module("lin" + std::to_string(lins_.size()),
                      lins_.emplace_back(layers::LinearOptions{width, out}, rng));
      width = out;
    } else if (pattern_[k] == 'N' && ln) {
      register_module("norm" + std::to_string(norms_.size()),
                      norms_.emplace_back(layers::LayerNormOptions{hidden}));
    }
  }
  if (!ln) std::erase(pattern_, 'N');
}

Var PredictorMlp::forward(Tape& tape, Var x, float p, Rng& rng) {
  std::size_t lin = 0;
  std::size_t norm = 0;
  for (const char c : pattern_) {
    if (c == 'L') x = lins_[lin++].forward(tape, x);
    if (c == 'N') x = norms_[norm++].forward(tape, x);
    if (c == 'D') x = ops::dropout(tape, x, p, rng, training());
    if (c == 'R') x = ops::relu(tape, x);
  }
  return x;
}

LinkPredictor::LinkPredictor(const LinkPredictorOptions& options, Rng& rng) : options_(options) {
  MOEGNN_CHECK(options.hidden >= 1, "hidden is ", options.hidden, " vs >= 1");
  MOEGNN_CHECK(options.predp >= 0.0f && options.predp < 1.0f, "predp is ", options.predp,
               " vs a rate in [0, 1)");
  MOEGNN_CHECK(options.preedp >= 0.0f && options.preedp < 1.0f, "preedp is ", options.preedp,
               " vs a rate in [0, 1)");
  if (options.kind == LinkPredictorKind::Dot) return;
  const Index h = options.hidden;
  const bool ln = options.lnnn;
  const std::string tail = options.tailact ? "" : "L";
  if (options.kind == LinkPredictorKind::Ncn) {
    if (options.use_xlin) {
      xlin_ = std::make_unique<PredictorMlp>("LDRLNDR", h, h, ln, false, rng);
      register_module("xlin", *xlin_);
    }
    xcnlin_ = std::make_unique<PredictorMlp>(("LDRLNDR" + tail).c_str(), h, h, ln, false, rng);
    register_module("xcnlin", *xcnlin_);
    beta_ = Parameter(Tensor::scalar(options.beta));
    register_parameter("beta", beta_);
  }
  xijlin_ = std::make_unique<PredictorMlp>(("LNDR" + tail).c_str(), h, h, ln, false, rng);
  register_module("xijlin", *xijlin_);
  lin_ = std::make_unique<PredictorMlp>(options.twolayerlin ? "LNDRLNDRL" : "LNDRL", h, h, ln,
                                        true, rng);
  register_module("lin", *lin_);
}

Var LinkPredictor::forward(Tape& tape, Var h, const graph::Csr& cn_graph,
                           const graph::EdgeList& pairs, Rng& rng) {
  MOEGNN_CHECK(h.cols() == options_.hidden, "h has ", h.cols(), " columns vs hidden ",
               options_.hidden);
  MOEGNN_CHECK(h.rows() == cn_graph.num_nodes(), "h has ", h.rows(), " rows vs ",
               cn_graph.num_nodes(), " nodes in cn_graph");
  const Var hi = ops::gather_rows(tape, h, pairs.src);
  const Var hj = ops::gather_rows(tape, h, pairs.dst);
  const Var hij = ops::mul(tape, hi, hj);
  if (options_.kind == LinkPredictorKind::Dot) return ops::sum(tape, hij, ops::Over::Cols);
  const float p = options_.predp;
  Var z = xijlin_->forward(tape, hij, p, rng);
  if (options_.kind == LinkPredictorKind::Ncn) {
    const Var xt = xlin_ ? ops::add(tape, h, xlin_->forward(tape, h, p, rng)) : h;
    graph::CommonNeighborOptions cn_options;
    cn_options.max_degree = options_.max_cn_degree;
    cn_options.validate = graph::Validate::Trusted;
    const graph::Csr g = training() ? drop_entries(cn_graph, options_.preedp, rng) : cn_graph;
    const graph::Csr c = graph::common_neighbors(g, pairs, cn_options).to_csr(g.num_nodes());
    const Var s = ops::cn_aggregate(tape, c, xt);
    const Var cn = xcnlin_->forward(tape, s, p, rng);
    z = ops::add(tape, z, scale(tape, cn, tape.param(beta_)));
  }
  return lin_->forward(tape, z, p, rng);
}

graph::Csr drop_entries(const graph::Csr& g, float p, Rng& rng) {
  if (p <= 0.0f) return g;
  const std::uint64_t key = rng.split();
  const auto ptr = g.row_ptr().host();
  const auto col = g.col_idx().host();
  std::vector<graph::EdgeId> out_ptr{0};
  std::vector<graph::NodeId> out_col;
  out_col.reserve(col.size());
  for (Index r = 0; r < g.num_rows(); ++r) {
    for (graph::EdgeId k = ptr[static_cast<std::size_t>(r)]; k < ptr[static_cast<std::size_t>(r) + 1]; ++k)
      if (Rng::to_unit(Rng::bits(key, static_cast<std::uint64_t>(k))) >= p)
        out_col.push_back(col[static_cast<std::size_t>(k)]);
    out_ptr.push_back(static_cast<graph::EdgeId>(out_col.size()));
  }
  return graph::Csr(g.num_rows(), g.num_cols(), graph::EdgeIds(out_ptr), graph::NodeIds(out_col), {},
                    graph::Validate::Trusted);
}

}  // namespace moegnn::models
