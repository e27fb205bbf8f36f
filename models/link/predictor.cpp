// SPDX-License-Identifier: Apache-2.0
// LinkPredictor: NCN's neighbour branch and pair branch, GAE's MLP and dot decoders.
#include "models/link/predictor.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/nn.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "graph/common_neighbors.h"
#include "graph/subgraph.h"
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
  if (options.kind == LinkPredictorKind::Ncn || options.kind == LinkPredictorKind::Ncnc) {
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

Var LinkPredictor::pair_branch(Tape& tape, Var h, const graph::EdgeList& pairs, Rng& rng) {
  const Var hij = ops::mul(tape, ops::gather_rows(tape, h, pairs.src),
                           ops::gather_rows(tape, h, pairs.dst));
  return xijlin_->forward(tape, hij, options_.predp, rng);
}

Var LinkPredictor::head(Tape& tape, Var z, Var xt, const graph::Csr& c, Rng& rng) {
  const float p = options_.predp;
  const Var cn = xcnlin_->forward(tape, ops::cn_aggregate(tape, c, xt), p, rng);
  z = ops::add(tape, z, scale(tape, cn, tape.param(beta_)));
  return lin_->forward(tape, z, p, rng);
}

graph::Csr LinkPredictor::completed(const graph::Csr& g, const Tensor& h, const Tensor& xt,
                                    const graph::EdgeList& pairs, Rng& rng) {
  graph::CommonNeighborOptions o;
  o.max_degree = options_.max_cn_degree;
  o.validate = graph::Validate::Trusted;
  const graph::NeighborhoodSplit parts = graph::split_neighborhoods(g, pairs, o);
  // Completion candidates: (dst_b, u) for u in N(src_b) \ N(dst_b), (src_b, u) for the other side.
  std::vector<graph::NodeId> cs, cd;
  for (Index b = 0; b < pairs.size(); ++b) {
    const auto bi = static_cast<std::size_t>(b);
    for (auto k = parts.only_src.offsets[bi]; k < parts.only_src.offsets[bi + 1]; ++k) {
      cs.push_back(pairs.dst[b]);
      cd.push_back(parts.only_src.nodes[static_cast<std::size_t>(k)]);
    }
    for (auto k = parts.only_dst.offsets[bi]; k < parts.only_dst.offsets[bi + 1]; ++k) {
      cs.push_back(pairs.src[b]);
      cd.push_back(parts.only_dst.nodes[static_cast<std::size_t>(k)]);
    }
  }
  std::vector<float> prob(cs.size());
  if (!cs.empty()) {  // NCN probabilities, no gradient (the reference's torch.no_grad)
    const graph::EdgeList candidates{graph::NodeIds(cs), graph::NodeIds(cd)};
    Tape inner(Tape::Mode::Inference);
    Var ih = inner.constant(h);
    Var ixt = inner.constant(xt);
    const graph::Csr* ig = &g;
    graph::Csr redropped;
    if (options_.completion == CompletionInput::Reference) {  // the reference's recursion
      ih = ixt;
      if (xlin_) ixt = ops::add(inner, ixt, xlin_->forward(inner, ixt, options_.predp, rng));
      if (training() && options_.preedp > 0.0f) {
        redropped = drop_entries(g, options_.preedp, rng);
        ig = &redropped;
      }
    }
    const graph::Csr c0 = graph::common_neighbors(*ig, candidates, o).to_csr(g.num_nodes());
    const Var zij = pair_branch(inner, ih, candidates, rng);
    const Var z = head(inner, zij, ixt, c0, rng);
    const float s = options_.probscale, off = options_.proboffset, pt = options_.pt;
    for (std::size_t k = 0; k < prob.size(); ++k) {
      const float p0 = 1.0f / (1.0f + std::exp(-s * (z.value().data()[k] - off)));
      prob[k] = options_.alpha * pt * p0 / (pt * p0 + 1.0f - p0);
    }
  }
  std::vector<graph::EdgeId> ptr{0};
  std::vector<graph::NodeId> col;
  std::vector<float> val;
  std::size_t next = 0;  // position in prob, in the candidate order above
  for (Index b = 0; b < pairs.size(); ++b) {
    const auto bi = static_cast<std::size_t>(b);
    for (auto k = parts.common.offsets[bi]; k < parts.common.offsets[bi + 1]; ++k) {
      col.push_back(parts.common.nodes[static_cast<std::size_t>(k)]);
      val.push_back(1.0f);
    }
    for (const auto* side : {&parts.only_src, &parts.only_dst})
      for (auto k = side->offsets[bi]; k < side->offsets[bi + 1]; ++k) {
        col.push_back(side->nodes[static_cast<std::size_t>(k)]);
        val.push_back(prob[next++]);
      }
    ptr.push_back(static_cast<graph::EdgeId>(col.size()));
  }
  return graph::Csr(pairs.size(), g.num_nodes(), graph::EdgeIds(ptr), graph::NodeIds(col),
                    Tensor::from_vector(static_cast<Index>(val.size()), 1, val),
                    graph::Validate::Trusted);
}

Var LinkPredictor::forward(Tape& tape, Var h, const graph::Csr& cn_graph,
                           const graph::EdgeList& pairs, Rng& rng) {
  MOEGNN_CHECK(h.cols() == options_.hidden, "h has ", h.cols(), " columns vs hidden ",
               options_.hidden);
  MOEGNN_CHECK(h.rows() == cn_graph.num_nodes(), "h has ", h.rows(), " rows vs ",
               cn_graph.num_nodes(), " nodes in cn_graph");
  if (options_.kind == LinkPredictorKind::Dot || options_.kind == LinkPredictorKind::Gae) {
    const Var hij = ops::mul(tape, ops::gather_rows(tape, h, pairs.src),
                             ops::gather_rows(tape, h, pairs.dst));
    if (options_.kind == LinkPredictorKind::Dot) return ops::sum(tape, hij, ops::Over::Cols);
    return lin_->forward(tape, xijlin_->forward(tape, hij, options_.predp, rng), options_.predp,
                         rng);
  }
  const float p = options_.predp;
  const Var zij = pair_branch(tape, h, pairs, rng);
  graph::CommonNeighborOptions o;
  o.max_degree = options_.max_cn_degree;
  o.validate = graph::Validate::Trusted;
  if (options_.kind == LinkPredictorKind::Ncn) {
    // Draw order: pair branch, edge dropout, xlin, neighbour branch, final MLP. x̃ is read only on
    // the batch's common neighbours, so xlin runs on those rows alone (a Cora training batch of
    // 2,304 pairs has about 200 of the 2,708 nodes as common neighbours; on ogbl-ddi nearly all).
    const graph::Csr g = training() ? drop_entries(cn_graph, options_.preedp, rng) : cn_graph;
    const graph::Csr c = graph::common_neighbors(g, pairs, o).to_csr(g.num_nodes());
    if (!xlin_) return head(tape, zij, h, c, rng);
    const graph::ColumnSubset used = graph::compact_columns(c);
    if (used.columns.size() == h.rows())
      return head(tape, zij, ops::add(tape, h, xlin_->forward(tape, h, p, rng)), c, rng);
    const Var hu = ops::gather_rows(tape, h, used.columns);
    return head(tape, zij, ops::add(tape, hu, xlin_->forward(tape, hu, p, rng)), used.csr, rng);
  }
  // NCNC. Draw order: pair branch, xlin, edge dropout, neighbour branch, final MLP. The completion
  // reads x̃ on every one-sided neighbour too, so xlin runs on all rows.
  const Var xt = xlin_ ? ops::add(tape, h, xlin_->forward(tape, h, p, rng)) : h;
  const graph::Csr g = training() ? drop_entries(cn_graph, options_.preedp, rng) : cn_graph;
  return head(tape, zij, xt, completed(g, h.value(), xt.value(), pairs, rng), rng);
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
