// SPDX-License-Identifier: Apache-2.0
// Block SpMM: the result equals the scalar SpMM on the expanded matrix and a dense product, for
// dense and diagonal blocks; gradients of values and x by central differences; bad shapes throw.
#include "layers/ops/block_spmm.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "graph/generators.h"
#include "layers/ops/spmm.h"
#include "layers/sheaf/sheaf_laplacian.h"
#include "tests/support/gradcheck.h"

namespace moegnn::ops {
namespace {

// A random symmetric graph's block pattern (graph + diagonal) and its sheaf pattern.
layers::sheaf::SheafPattern random_pattern(Index n, graph::EdgeId m, std::uint64_t seed) {
  return layers::sheaf::make_sheaf_pattern(graph::uniform_random_graph(n, m, true, false, seed));
}

Tensor dense_product(const Tensor& a, const Tensor& x) {
  return Tensor::from(Matrix(a.host() * x.host()));
}

class BlockSpmmShapes : public ::testing::TestWithParam<std::tuple<Index, bool>> {};

TEST_P(BlockSpmmShapes, EqualsExpandedScalarSpmmAndDenseProduct) {
  const auto [b, diagonal] = GetParam();
  const auto p = random_pattern(30, 70, 3);
  const Index nnz = p.blocks.num_edges();
  const Tensor values = support::random_tensor(nnz, diagonal ? b : b * b, 11);
  const Tensor x = support::random_tensor(30 * b, 5, 12);
  const Tensor out = block_spmm(p.blocks, values, x, b);
  EXPECT_TRUE(support::all_close(out, spmm(expand_blocks(p.blocks, values, b), x), 1e-5f, 1e-5f));
  EXPECT_TRUE(support::all_close(out, dense_product(layers::sheaf::dense_laplacian(p, values, b), x),
                                 1e-5f, 1e-5f));
}

INSTANTIATE_TEST_SUITE_P(Blocks, BlockSpmmShapes,
                         ::testing::Values(std::make_tuple(Index{1}, false),
                                           std::make_tuple(Index{3}, false),
                                           std::make_tuple(Index{4}, true),
                                           std::make_tuple(Index{5}, false)));

TEST(BlockSpmm, GradientsMatchFiniteDifferences) {
  const auto p = random_pattern(8, 12, 5);
  const Index nnz = p.blocks.num_edges();
  for (const bool diagonal : {false, true}) {
    const Index b = 3;
    EXPECT_TRUE(support::gradient_matches(
        [&](Tape& tape, const std::vector<Var>& in) {
          return block_spmm(tape, p.blocks, in[0], in[1], b);
        },
        {support::random_tensor(nnz, diagonal ? b : b * b, 21), support::random_tensor(8 * b, 4, 22)}))
        << (diagonal ? "diagonal" : "dense");
  }
}

TEST(BlockSpmm, RejectsBadShapes) {
  const auto p = random_pattern(6, 8, 1);
  const Index nnz = p.blocks.num_edges();
  const Tensor x = Tensor::zeros(12, 3);
  EXPECT_THROW(block_spmm(p.blocks, Tensor::zeros(nnz, 4), x, 0), InvalidArgument);
  EXPECT_THROW(block_spmm(p.blocks, Tensor::zeros(nnz, 3), x, 2), InvalidArgument);
  EXPECT_THROW(block_spmm(p.blocks, Tensor::zeros(nnz + 1, 4), x, 2), InvalidArgument);
  EXPECT_THROW(block_spmm(p.blocks, Tensor::zeros(nnz, 4), Tensor::zeros(11, 3), 2),
               InvalidArgument);
  try {
    block_spmm(p.blocks, Tensor::zeros(nnz, 4), Tensor::zeros(11, 3), 2);
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("x: 11 rows"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace moegnn::ops
