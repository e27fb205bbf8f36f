// SPDX-License-Identifier: Apache-2.0
// GMoPE's orthogonality, load-balancing, InfoNCE and link losses.
#include "models/gmope/losses.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "core/ops/loss.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "graph/builder.h"
#include "graph/csr.h"
#include "layers/ops/sddmm.h"

namespace moegnn::models {
namespace {

constexpr float kNormEps = 1e-12f;

}  // namespace

Var orthogonality_loss(Tape& tape, const std::vector<Var>& prompts, bool normalize) {
  MOEGNN_CHECK_AS(InvalidArgument, "orthogonality_loss", !prompts.empty(), "no prompts vs >= 1");
  for (const Var& p : prompts)
    MOEGNN_CHECK_AS(InvalidArgument, "orthogonality_loss",
                    p.rows() == 1 && p.cols() == prompts[0].cols() && p.cols() > 0, "a prompt is ",
                    p.value().shape_string(), " vs 1 × ", prompts[0].cols());
  const Var stacked = ops::concat_rows(tape, prompts);
  const Matrix p = stacked.value().host();
  const Index m = p.rows();
  Eigen::VectorXf norms = Eigen::VectorXf::Ones(m);
  if (normalize) norms = p.rowwise().norm().cwiseMax(kNormEps);
  const Matrix ph = norms.cwiseInverse().asDiagonal() * p;
  const Matrix e = ph * ph.transpose() - Matrix::Identity(m, m);
  Tensor loss = Tensor::scalar(e.squaredNorm());
  return tape.record(loss, {stacked}, [ph, e, norms, normalize](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    const float g = s.grad_out.host()(0, 0);
    Matrix gh = 4.0f * g * (e * ph);  // dL/dP̂, E symmetric
    if (normalize) {
      // Through p̂ = p / ‖p‖: (g − (g·p̂) p̂) / ‖p‖ per row.
      const Eigen::VectorXf along = (gh.cwiseProduct(ph)).rowwise().sum();
      gh = norms.cwiseInverse().asDiagonal() * (gh - along.asDiagonal() * ph);
    }
    s.grad_in[0]->host() += gh;
  });
}

Var load_balance_loss(Tape& tape, Var gates) {
  MOEGNN_CHECK_AS(InvalidArgument, "load_balance_loss", gates.rows() > 0 && gates.cols() > 0,
                  "gates are ", gates.value().shape_string(), " vs a non-empty matrix");
  const Matrix g = gates.value().host();
  const Index m = g.cols();
  Tensor f = Tensor::zeros(1, m);
  for (Index r = 0; r < g.rows(); ++r) {
    Index at = 0;
    g.row(r).maxCoeff(&at);
    f.host()(0, at) += 1.0f / static_cast<float>(g.rows());
  }
  const Var mean_gate = ops::mean(tape, gates, ops::Over::Rows);
  return ops::mul_scalar(tape, ops::sum(tape, ops::mul(tape, mean_gate, tape.constant(f))),
                         static_cast<float>(m));
}

double usage_entropy(const Tensor& gates) {
  MOEGNN_CHECK_AS(InvalidArgument, "usage_entropy", gates.rows() > 0 && gates.cols() > 0,
                  "gates are ", gates.shape_string(), " vs a non-empty matrix");
  const Index m = gates.cols();
  if (m == 1) return 1.0;
  const Eigen::RowVectorXd u = gates.host().cast<double>().colwise().mean();
  const double total = u.sum();
  double h = 0.0;
  for (Index i = 0; i < m; ++i) {
    const double q = u(i) / total;
    if (q > 0.0) h -= q * std::log(q);
  }
  return h / std::log(static_cast<double>(m));
}

Var info_nce(Tape& tape, Var z1, Var z2, float temperature) {
  MOEGNN_CHECK_AS(InvalidArgument, "info_nce",
                  z1.rows() == z2.rows() && z1.cols() == z2.cols() && z1.rows() >= 2, "views are ",
                  z1.value().shape_string(), " and ", z2.value().shape_string(),
                  " vs equal shapes with >= 2 rows");
  MOEGNN_CHECK_AS(InvalidArgument, "info_nce", temperature > 0, "temperature ", temperature,
                  " vs > 0");
  auto unit = [&](Var z) {
    const Var norm = ops::sqrt(
        tape, ops::add_scalar(tape, ops::sum(tape, ops::mul(tape, z, z), ops::Over::Cols), 1e-8f));
    return ops::div(tape, z, norm);
  };
  const Var a = unit(z1), b = unit(z2);
  std::vector<std::int32_t> diag(static_cast<std::size_t>(z1.rows()));
  for (std::size_t i = 0; i < diag.size(); ++i) diag[i] = static_cast<std::int32_t>(i);
  const IndexArray32 labels(diag);
  const float inv_t = 1.0f / temperature;
  const Var ab = ops::mul_scalar(tape, ops::matmul(tape, a, b, ops::Transpose::Right), inv_t);
  const Var ba = ops::mul_scalar(tape, ops::matmul(tape, b, a, ops::Transpose::Right), inv_t);
  return ops::mul_scalar(
      tape,
      ops::add(tape, ops::cross_entropy(tape, ab, labels), ops::cross_entropy(tape, ba, labels)),
      0.5f);
}

Var link_bce(Tape& tape, Var h, const graph::EdgeList& pos, const graph::EdgeList& neg) {
  MOEGNN_CHECK_AS(InvalidArgument, "link_bce", pos.size() > 0 && neg.size() > 0, "pos ", pos.size(),
                  " and neg ", neg.size(), " pairs vs both non-empty");
  // The pairs become a Csr (row = source, column = destination, repeated pairs kept), so the
  // scores are one SDDMM and their gradient two SpMMs; gathering both endpoints would materialise
  // two |pairs| × width matrices and scatter them back (1.3M pairs × 64 on fb100-cornell5, most of
  // an epoch). The targets ride along as the edge values through the builder's sort.
  const Index n = h.rows();
  std::vector<graph::NodeId> rows, cols;
  std::vector<float> target;
  rows.reserve(static_cast<std::size_t>(pos.size() + neg.size()));
  cols.reserve(rows.capacity());
  target.reserve(rows.capacity());
  for (const auto& [set, name, y] :
       {std::tuple{&pos, "pos", 1.0f}, std::tuple{&neg, "neg", 0.0f}}) {
    for (Index k = 0; k < set->size(); ++k) {
      const graph::NodeId a = set->src[k], b = set->dst[k];
      MOEGNN_CHECK_AS(InvalidArgument, "link_bce", a >= 0 && b >= 0 && a < n && b < n, "pair ", k,
                      " of ", name, " is (", a, ", ", b, ") vs ids below ", n);
      rows.push_back(a);
      cols.push_back(b);
      target.push_back(y);
    }
  }
  graph::BuildOptions o;
  o.num_nodes = n;
  o.duplicates = graph::Duplicates::Keep;
  const graph::Csr pairs = graph::from_coo(cols, rows, target, o);  // from_coo: row = dst
  // The SDDMM and its backward read the structure only, never the values.
  return ops::bce_with_logits(tape, ops::sddmm_dot(tape, pairs, h, h), pairs.values());
}

std::vector<float> link_scores(const Tensor& h, const graph::EdgeList& pairs) {
  const ConstMatrixMap m = h.host();
  std::vector<float> out(static_cast<std::size_t>(pairs.size()));
  for (Index i = 0; i < pairs.size(); ++i) {
    const auto a = pairs.src[i], b = pairs.dst[i];
    MOEGNN_CHECK_AS(InvalidArgument, "link_scores",
                    a >= 0 && b >= 0 && a < m.rows() && b < m.rows(), "pair ", i, " is (", a, ", ",
                    b, ") vs ids below ", m.rows());
    out[static_cast<std::size_t>(i)] = m.row(a).dot(m.row(b));
  }
  return out;
}

}  // namespace moegnn::models
