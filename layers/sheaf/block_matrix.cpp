// SPDX-License-Identifier: Apache-2.0
// Batched small-matrix ops: each row of a tensor is one d × d matrix. Blocks are independent, so
// every loop is a parallel_for over blocks with no shared writes (deterministic on any thread
// count). Matrix functions run in double precision per block.
#include "layers/sheaf/block_matrix.h"

#include <Eigen/Eigenvalues>
#include <cmath>

#include "core/error.h"
#include "core/parallel.h"

namespace moegnn::layers::sheaf {
namespace {

using Block = Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
using ConstBlock =
    Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
// At most 16 × 16 (checked), so per-block temporaries live on the stack: no heap allocation per
// edge in the parallel loops.
constexpr int kMaxBlock = 16;
using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxBlock, kMaxBlock>;
using VecD = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxBlock, 1>;
using MatF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxBlock, kMaxBlock>;

void check_blocks(const char* function, const char* name, const Tensor& t, Index d) {
  MOEGNN_CHECK_AS(InvalidArgument, function, d >= 1 && d <= kMaxBlock, "d: ", d, " vs 1 .. ",
                  kMaxBlock);
  MOEGNN_CHECK_AS(InvalidArgument, function, t.cols() == d * d, name, ": ", t.shape_string(),
                  " vs m × ", d * d, " (one ", d, " × ", d, " block per row)");
  MOEGNN_CHECK_AS(Unsupported, function, t.device() == Device::Cpu, "no CUDA kernel yet");
}

ConstBlock cblock(const Tensor& t, Index k, Index d) { return {t.data() + k * d * d, d, d}; }
Block mblock(Tensor& t, Index k, Index d) { return {t.data() + k * d * d, d, d}; }

}  // namespace

Tensor block_eye(Index m, Index d) {
  Tensor t = Tensor::zeros(m, d * d);
  for (Index k = 0; k < m; ++k)
    for (Index i = 0; i < d; ++i) t.data()[k * d * d + i * d + i] = 1.0f;
  return t;
}

Var block_matmul(Tape& tape, Var a, Var b, Index d, bool ta, bool tb) {
  check_blocks("block_matmul", "a", a.value(), d);
  check_blocks("block_matmul", "b", b.value(), d);
  MOEGNN_CHECK_AS(InvalidArgument, "block_matmul", a.rows() == b.rows(), "b: ", b.rows(),
                  " blocks vs a's ", a.rows());
  const Tensor& av = a.value();
  const Tensor& bv = b.value();
  Tensor out = Tensor::empty(av.rows(), d * d);
  parallel_for(0, av.rows(), [&](Index k) {
    const auto x = cblock(av, k, d);
    const auto y = cblock(bv, k, d);
    auto o = mblock(out, k, d);
    if (ta && tb) o.noalias() = x.transpose() * y.transpose();
    else if (ta) o.noalias() = x.transpose() * y;
    else if (tb) o.noalias() = x * y.transpose();
    else o.noalias() = x * y;
  }, 256);
  return tape.record(std::move(out), {a, b}, [d, ta, tb](Tape::Step& s) {
    const Tensor& av = *s.in[0];
    const Tensor& bv = *s.in[1];
    parallel_for(0, av.rows(), [&](Index k) {
      const auto g = cblock(s.grad_out, k, d);
      // C = A'B' with A' = op(A), B' = op(B): dA' = G B'ᵀ, dB' = A'ᵀ G.
      const MatF ap = ta ? MatF(cblock(av, k, d).transpose())
                                    : MatF(cblock(av, k, d));
      const MatF bp = tb ? MatF(cblock(bv, k, d).transpose())
                                    : MatF(cblock(bv, k, d));
      if (s.grad_in[0] != nullptr) {
        const MatF da = g * bp.transpose();
        auto ga = mblock(*s.grad_in[0], k, d);
        if (ta) ga += da.transpose(); else ga += da;
      }
      if (s.grad_in[1] != nullptr) {
        const MatF db = ap.transpose() * g;
        auto gb = mblock(*s.grad_in[1], k, d);
        if (tb) gb += db.transpose(); else gb += db;
      }
    }, 256);
  });
}

Var block_transpose(Tape& tape, Var a, Index d) {
  check_blocks("block_transpose", "a", a.value(), d);
  const Tensor& av = a.value();
  Tensor out = Tensor::empty(av.rows(), d * d);
  parallel_for(0, av.rows(), [&](Index k) {
    mblock(out, k, d) = cblock(av, k, d).transpose();
  }, 1024);
  return tape.record(std::move(out), {a}, [d](Tape::Step& s) {
    parallel_for(0, s.grad_out.rows(), [&](Index k) {
      mblock(*s.grad_in[0], k, d) += cblock(s.grad_out, k, d).transpose();
    }, 1024);
  });
}

Var block_sym_pow(Tape& tape, Var a, Index d, float power) {
  check_blocks("block_sym_pow", "a", a.value(), d);
  const Tensor& av = a.value();
  const Index m = av.rows();
  // Kept for the backward: eigenvectors (d × d) and eigenvalues (d) per block, in double.
  auto vecs = std::make_shared<std::vector<double>>(static_cast<std::size_t>(m * d * d));
  auto vals = std::make_shared<std::vector<double>>(static_cast<std::size_t>(m * d));
  Tensor out = Tensor::empty(m, d * d);
  const double p = power;
  parallel_for(0, m, [&](Index k) {
    const MatD x = cblock(av, k, d).cast<double>();
    Eigen::SelfAdjointEigenSolver<MatD> eig(0.5 * (x + x.transpose()));
    VecD lam = eig.eigenvalues();
    const double cut = 1e-6 * std::max(lam.cwiseAbs().maxCoeff(), 1e-30);
    VecD f(d);
    for (Index i = 0; i < d; ++i) f(i) = lam(i) > cut ? std::pow(lam(i), p) : 0.0;
    const MatD& v = eig.eigenvectors();
    mblock(out, k, d) = (v * f.asDiagonal() * v.transpose()).cast<float>();
    Eigen::Map<MatD>(vecs->data() + k * d * d, d, d) = v;
    Eigen::Map<VecD>(vals->data() + k * d, d) = lam;
  }, 256);
  return tape.record(std::move(out), {a}, [d, p, vecs, vals, m](Tape::Step& s) {
    parallel_for(0, m, [&](Index k) {
      const Eigen::Map<const MatD> v(vecs->data() + k * d * d, d, d);
      const Eigen::Map<const VecD> lam(vals->data() + k * d, d);
      const double cut = 1e-6 * std::max(lam.cwiseAbs().maxCoeff(), 1e-30);
      auto fn = [&](double l) { return l > cut ? std::pow(l, p) : 0.0; };
      auto dfn = [&](double l) { return l > cut ? p * std::pow(l, p - 1.0) : 0.0; };
      const MatD g = cblock(s.grad_out, k, d).cast<double>();
      MatD inner = v.transpose() * (0.5 * (g + g.transpose())) * v;
      for (Index i = 0; i < d; ++i)
        for (Index j = 0; j < d; ++j) {
          const double gap = lam(i) - lam(j);
          const double scale = std::abs(gap) > 1e-9 * std::max(1.0, std::abs(lam(i)))
                                   ? (fn(lam(i)) - fn(lam(j))) / gap
                                   : dfn(0.5 * (lam(i) + lam(j)));
          inner(i, j) *= scale;
        }
      mblock(*s.grad_in[0], k, d) += (v * inner * v.transpose()).cast<float>();
    }, 256);
  });
}

Var reshape(Tape& tape, Var x, Index rows, Index cols) {
  MOEGNN_CHECK_AS(InvalidArgument, "reshape", rows >= 0 && cols >= 0 && rows * cols == x.value().size(),
                  "shape: ", rows, " × ", cols, " vs ", x.value().size(), " elements (",
                  x.value().shape_string(), ")");
  const Index r = x.rows();
  const Index c = x.cols();
  return tape.record(x.value().reshape(rows, cols), {x}, [r, c](Tape::Step& s) {
    accumulate(*s.grad_in[0], s.grad_out.reshape(r, c));
  });
}

}  // namespace moegnn::layers::sheaf
