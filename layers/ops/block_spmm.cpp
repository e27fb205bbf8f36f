// SPDX-License-Identifier: Apache-2.0
// Block SpMM front end: checks, device dispatch, backward rules. grad_x = Aᵀ·grad_out runs the same
// row kernel over the pattern's cached transpose, reading each block transposed through the
// transpose's edge ids; grad_values is a per-block inner product over the forward rows.
#include "layers/ops/block_spmm.h"

#include <vector>

#include "core/dispatch.h"
#include "core/error.h"
#include "layers/ops/cpu/block_spmm.h"
#include "layers/ops/detail/checks.h"

namespace moegnn::ops {
namespace {

constexpr const char* kOp = "block_spmm";

// Whether the blocks are diagonal (nnz × b) rather than dense (nnz × b²).
bool check_inputs(const graph::Csr& a, const Tensor& values, const Tensor& x, Index b) {
  MOEGNN_CHECK_AS(InvalidArgument, kOp, b >= 1, "block: ", b, " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, kOp, a.is_square(), "pattern: ", a.num_rows(), " × ",
                  a.num_cols(), " vs square (one block row per node)");
  MOEGNN_CHECK_AS(InvalidArgument, kOp,
                  values.rows() == a.num_edges() && (values.cols() == b || values.cols() == b * b),
                  "values: ", values.rows(), " × ", values.cols(), " vs ", a.num_edges(), " × ", b,
                  " (diagonal blocks) or ", a.num_edges(), " × ", b * b, " (dense blocks)");
  MOEGNN_CHECK_AS(InvalidArgument, kOp, x.rows() == a.num_rows() * b, "x: ", x.rows(),
                  " rows vs pattern rows × block = ", a.num_rows() * b,
                  "; fold the stalk axis into rows (N·b × C)");
  detail::check_device(kOp, "values", values.device(), a.device());
  detail::check_device(kOp, "x", x.device(), a.device());
  return b > 1 && values.cols() == b;
}

Tensor forward(const graph::Csr& a, const Tensor& values, const Tensor& x, Index b, bool diagonal) {
  return detail::on_device(kOp, a.device(), [&] {
    Tensor out = Tensor::empty(x.rows(), x.cols());
    cpu::block_spmm(a.view(), {values.data(), b, diagonal, nullptr, false}, x, false, out);
    return out;
  });
}

}  // namespace

Tensor block_spmm(const graph::Csr& pattern, const Tensor& values, const Tensor& x, Index block) {
  const bool diagonal = check_inputs(pattern, values, x, block);
  return forward(pattern, values, x, block, diagonal);
}

Var block_spmm(Tape& tape, const graph::Csr& pattern, Var values, Var x, Index block) {
  const bool diagonal = check_inputs(pattern, values.value(), x.value(), block);
  Tensor out = forward(pattern, values.value(), x.value(), block, diagonal);
  return tape.record(std::move(out), {values, x}, [&pattern, block, diagonal](Tape::Step& s) {
    const Tensor& v = *s.in[0];
    const Tensor& x = *s.in[1];
    if (s.grad_in[1] != nullptr) {
      // Aᵀ: row v of the transpose holds the blocks B_k with col_idx[k] == v, each used as B_kᵀ.
      const graph::Csr& t = pattern.transpose();
      cpu::block_spmm(t.view(),
                      {v.data(), block, diagonal, pattern.transpose_edge_ids().data(), true},
                      s.grad_out, true, *s.grad_in[1]);
    }
    if (s.grad_in[0] != nullptr)
      cpu::block_spmm_grad_values(pattern.view(), block, diagonal, s.grad_out, x, *s.grad_in[0]);
  });
}

graph::Csr expand_blocks(const graph::Csr& pattern, const Tensor& values, Index b) {
  const bool diagonal = check_inputs(pattern, values, Tensor::zeros(pattern.num_rows() * b, 1), b);
  const Index n = pattern.num_rows();
  const graph::EdgeId* rp = pattern.row_ptr().data();
  const graph::NodeId* ci = pattern.col_idx().data();
  std::vector<graph::EdgeId> row_ptr{0};
  std::vector<graph::NodeId> col_idx;
  std::vector<float> weights;
  for (Index u = 0; u < n; ++u)
    for (Index i = 0; i < b; ++i) {
      for (graph::EdgeId k = rp[u]; k < rp[u + 1]; ++k)
        for (Index j = diagonal ? i : 0; j < (diagonal ? i + 1 : b); ++j) {
          col_idx.push_back(static_cast<graph::NodeId>(ci[k] * b + j));
          weights.push_back(values.data()[diagonal ? k * b + i : k * b * b + i * b + j]);
        }
      row_ptr.push_back(static_cast<graph::EdgeId>(col_idx.size()));
    }
  const Index nnz = static_cast<Index>(weights.size());
  return graph::Csr(n * b, n * b, graph::EdgeIds(row_ptr), graph::NodeIds(col_idx),
                    Tensor::from_vector(nnz, 1, weights));
}

}  // namespace moegnn::ops
