// SPDX-License-Identifier: Apache-2.0
// Dispersion functions: tensor versions (direct loops) and the tape version (composed ops).
#include "models/mowst/confidence.h"

#include <cmath>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"

namespace moegnn::mowst {
namespace {

void check_classes(const char* function, Index classes) {
  MOEGNN_CHECK_AS(InvalidArgument, function, classes >= 2, "probabilities have ", classes,
                  " columns vs >= 2 classes; a dispersion needs at least two");
}

}  // namespace

Tensor variance_dispersion(const Tensor& probs) {
  check_classes("variance_dispersion", probs.cols());
  const auto p = probs.to(Device::Cpu).host();
  const double k = static_cast<double>(probs.cols());
  Tensor out = Tensor::empty(probs.rows(), 1);
  auto o = out.host();
  for (Index i = 0; i < probs.rows(); ++i) {
    const double squares = static_cast<double>(p.row(i).squaredNorm());
    o(i, 0) = static_cast<float>((k * squares - 1.0) / (k - 1.0));
  }
  return out;
}

Tensor entropy_dispersion(const Tensor& probs) {
  check_classes("entropy_dispersion", probs.cols());
  const auto p = probs.to(Device::Cpu).host();
  const double log_k = std::log(static_cast<double>(probs.cols()));
  Tensor out = Tensor::empty(probs.rows(), 1);
  auto o = out.host();
  for (Index i = 0; i < probs.rows(); ++i) {
    double entropy = 0.0;
    for (Index j = 0; j < probs.cols(); ++j) {
      const double v = p(i, j);
      if (v > 0.0) entropy -= v * std::log(v);
    }
    o(i, 0) = static_cast<float>(1.0 - entropy / log_k);
  }
  return out;
}

Tensor dispersions(const Tensor& logits) {
  Tape tape(Tape::Mode::Inference);
  return dispersions(tape, tape.constant(logits)).value();
}

Var dispersions(Tape& tape, Var logits) {
  check_classes("dispersions", logits.cols());
  const float k = static_cast<float>(logits.cols());
  Var p = ops::softmax(tape, logits);
  // Eq. D_var: (K·Σ p² − 1) / (K − 1).
  Var squares = ops::sum(tape, ops::mul(tape, p, p), ops::Over::Cols);
  Var d_var = ops::mul_scalar(tape, ops::add_scalar(tape, ops::mul_scalar(tape, squares, k), -1.0f),
                              1.0f / (k - 1.0f));
  // Eq. D_ent: 1 + Σ p log p / log K, with log p from log_softmax (finite where p underflows).
  Var plogp = ops::sum(tape, ops::mul(tape, p, ops::log_softmax(tape, logits)), ops::Over::Cols);
  Var d_ent = ops::add_scalar(tape, ops::mul_scalar(tape, plogp, 1.0f / std::log(k)), 1.0f);
  return ops::concat_cols(tape, {d_var, d_ent});
}

}  // namespace moegnn::mowst
