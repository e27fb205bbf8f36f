// SPDX-License-Identifier: Apache-2.0
// Sheaf Laplacian values from restriction maps, composed from tape ops (gather, scatter-add,
// elementwise, batched block products) so every gradient comes from rules that are checked on
// their own. Per layer: node sums by scatter-add over the edges' sources, normaliser D̂^-1/2 per
// node, one off-diagonal block per undirected edge (the pattern's half list), then one gather
// puts [half | half transposed | node blocks] into the block-CSR slot order.
#include "layers/sheaf/sheaf_laplacian.h"

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "core/ops/shape.h"
#include "layers/sheaf/block_matrix.h"

namespace moegnn::layers::sheaf {
namespace {

void check_maps(const char* function, const SheafPattern& p, const Tensor& maps, Index width,
                const char* what) {
  MOEGNN_CHECK_AS(InvalidArgument, function, maps.rows() == p.edge_src.size() && maps.cols() == width,
                  "maps: ", maps.shape_string(), " vs ", p.edge_src.size(), " × ", width, " (",
                  what, " per directed edge)");
}

// d² -> f² column selection: learned block entry (i, j) goes to (i, j) of the f × f block.
Tensor embed_matrix(Index d, Index f) {
  Tensor s = Tensor::zeros(d * d, f * f);
  for (Index i = 0; i < d; ++i)
    for (Index j = 0; j < d; ++j) s.data()[(i * d + j) * f * f + i * f + j] = 1.0f;
  return s;
}

// The fixed coordinates' entries of dense f × f blocks: nnz × f² constants.
Tensor fixed_dense(const SheafPattern& p, Index d, FixedCoordinates fixed) {
  const Index f = d + fixed.count();
  const Index slots = p.blocks.num_edges();
  Tensor t = Tensor::zeros(slots, f * f);
  Index c = d;
  for (const Tensor* source : {fixed.low_pass ? &p.low_pass : nullptr,
                               fixed.high_pass ? &p.high_pass : nullptr}) {
    if (source == nullptr) continue;
    for (Index s = 0; s < slots; ++s) t.data()[s * f * f + c * f + c] = source->data()[s];
    ++c;
  }
  return t;
}

// Learned dense d × d block values (slots × d²) widened to f × f with the fixed coordinates.
Var with_fixed_dense(Tape& tape, const SheafPattern& p, Var learned, Index d,
                     FixedCoordinates fixed) {
  if (fixed.count() == 0) return learned;
  const Index f = d + fixed.count();
  Var wide = ops::matmul(tape, learned, tape.constant(embed_matrix(d, f)));
  return ops::add(tape, wide, tape.constant(fixed_dense(p, d, fixed)));
}

// The flattened d × d identity as a 1 × d² row.
Tensor eye_row(Index d) { return block_eye(1, d); }

}  // namespace

Var diag_sheaf_laplacian(Tape& tape, const SheafPattern& p, Var maps, Index d,
                         FixedCoordinates fixed) {
  MOEGNN_CHECK(d >= 1, "d: ", d, " vs >= 1");
  check_maps("diag_sheaf_laplacian", p, maps.value(), d, "the d diagonal entries");
  const Index n = p.num_nodes;
  Var sums = ops::scatter_add_rows(tape, ops::mul(tape, maps, maps), p.edge_src, n);  // L_uu
  Var dhat = ops::add_scalar(tape, sums, 1.0f);
  Var inv_sqrt = ops::pow(tape, dhat, -0.5f);
  Var fu = ops::gather_rows(tape, maps, p.half);
  Var fv = ops::gather_rows(tape, maps, p.half_rev);
  Var scale = ops::mul(tape, ops::gather_rows(tape, inv_sqrt, p.half_src),
                       ops::gather_rows(tape, inv_sqrt, p.half_dst));
  Var off = ops::neg(tape, ops::mul(tape, ops::mul(tape, fu, fv), scale));
  Var node = ops::div(tape, sums, dhat);
  // Diagonal blocks are symmetric: the mirrored half is the half itself.
  Var values = ops::gather_rows(tape, ops::concat_rows(tape, {off, off, node}), p.slot_source);
  if (fixed.count() == 0) return values;
  std::vector<Var> parts{values};
  if (fixed.low_pass) parts.push_back(tape.constant(p.low_pass));
  if (fixed.high_pass) parts.push_back(tape.constant(p.high_pass));
  return ops::concat_cols(tape, parts);
}

Var connection_sheaf_laplacian(Tape& tape, const SheafPattern& p, Var maps, Var edge_weights,
                               Index d, FixedCoordinates fixed) {
  MOEGNN_CHECK(d >= 1, "d: ", d, " vs >= 1");
  check_maps("connection_sheaf_laplacian", p, maps.value(), d * d, "a d × d map");
  const Index n = p.num_nodes;
  const Index e2 = p.edge_src.size();
  Var w = edge_weights.valid() ? edge_weights : tape.constant(Tensor::ones(e2, 1));
  MOEGNN_CHECK(w.rows() == e2 && w.cols() == 1, "edge_weights: ", w.value().shape_string(),
               " vs ", e2, " × 1 (one weight per directed edge)");
  Var w2 = ops::mul(tape, w, w);
  Var sums = ops::scatter_add_rows(tape, w2, p.edge_src, n);  // s_u
  Var dhat = ops::add_scalar(tape, sums, 1.0f);
  Var inv_sqrt = ops::pow(tape, dhat, -0.5f);
  Var qq = block_matmul(tape, ops::gather_rows(tape, maps, p.half),
                        ops::gather_rows(tape, maps, p.half_rev), d, /*transpose_a=*/true);
  Var scale = ops::mul(tape, ops::gather_rows(tape, w2, p.half),
                       ops::mul(tape, ops::gather_rows(tape, inv_sqrt, p.half_src),
                                ops::gather_rows(tape, inv_sqrt, p.half_dst)));
  Var off = ops::neg(tape, ops::mul(tape, qq, scale));
  Var node = ops::matmul(tape, ops::div(tape, sums, dhat), tape.constant(eye_row(d)));
  Var table = ops::concat_rows(tape, {off, block_transpose(tape, off, d), node});
  return with_fixed_dense(tape, p, ops::gather_rows(tape, table, p.slot_source), d, fixed);
}

Var general_sheaf_laplacian(Tape& tape, const SheafPattern& p, Var maps, Index d,
                            FixedCoordinates fixed) {
  MOEGNN_CHECK(d >= 1, "d: ", d, " vs >= 1");
  check_maps("general_sheaf_laplacian", p, maps.value(), d * d, "a d × d map");
  const Index n = p.num_nodes;
  Var sums = ops::scatter_add_rows(tape, block_matmul(tape, maps, maps, d, true), p.edge_src, n);
  Var dhat = ops::add(tape, sums, tape.constant(eye_row(d)));
  Var inv_sqrt = block_sym_pow(tape, dhat, d, -0.5f);
  Var ff = block_matmul(tape, ops::gather_rows(tape, maps, p.half),
                        ops::gather_rows(tape, maps, p.half_rev), d, /*transpose_a=*/true);
  Var left = block_matmul(tape, ops::gather_rows(tape, inv_sqrt, p.half_src), ff, d);
  Var off = ops::neg(tape, block_matmul(tape, left, ops::gather_rows(tape, inv_sqrt, p.half_dst), d));
  Var node = block_matmul(tape, block_matmul(tape, inv_sqrt, sums, d), inv_sqrt, d);
  Var table = ops::concat_rows(tape, {off, block_transpose(tape, off, d), node});
  return with_fixed_dense(tape, p, ops::gather_rows(tape, table, p.slot_source), d, fixed);
}

Tensor dense_laplacian(const SheafPattern& p, const Tensor& values, Index b) {
  const Index n = p.num_nodes;
  const bool diagonal = values.cols() == b && b > 1;
  MOEGNN_CHECK(values.rows() == p.blocks.num_edges() && (values.cols() == b || values.cols() == b * b),
               "values: ", values.shape_string(), " vs ", p.blocks.num_edges(), " × ", b, " or × ",
               b * b);
  Tensor out = Tensor::zeros(n * b, n * b);
  const graph::EdgeId* rp = p.blocks.row_ptr().data();
  const graph::NodeId* ci = p.blocks.col_idx().data();
  for (Index u = 0; u < n; ++u)
    for (graph::EdgeId k = rp[u]; k < rp[u + 1]; ++k)
      for (Index i = 0; i < b; ++i)
        for (Index j = 0; j < b; ++j) {
          if (diagonal && i != j) continue;
          const float v = diagonal ? values.data()[k * b + i] : values.data()[k * b * b + i * b + j];
          out.data()[(u * b + i) * n * b + static_cast<Index>(ci[k]) * b + j] = v;
        }
  return out;
}

}  // namespace moegnn::layers::sheaf
