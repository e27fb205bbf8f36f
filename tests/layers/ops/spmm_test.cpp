// SPDX-License-Identifier: Apache-2.0
// ops::spmm: Sum/Mean/Max against dense and naive references (unweighted, graph values,
// differentiable multi-head edge weights), gradients by central differences, bit-identical results
// on 1 and 2 threads, and the errors for bad input.
#include <algorithm>
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "core/config.h"
#include "core/error.h"
#include "layers/ops/cpu/spmm.h"
#include "layers/ops/cpu/spmm_kernel.h"
#include "layers/ops/spmm.h"
#include "tests/layers/ops/op_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

using ops::Reduce;
using support::all_close;
using support::gradient_matches;
using support::random_tensor;

constexpr Reduce kReductions[] = {Reduce::Sum, Reduce::Mean, Reduce::Max};

// True when, for every output element of a Max SpMM, the best candidate beats the runner-up by at
// least `gap` (so finite-difference steps cannot swap the argmax). edge_weight may be nullptr.
bool max_is_stable(const graph::Csr& a, const Tensor* edge_weight, const Tensor& x, float gap) {
  const Index heads = edge_weight != nullptr ? edge_weight->cols() : 1;
  const Index channels = x.cols() / heads;
  for (Index i = 0; i < a.num_rows(); ++i) {
    for (Index f = 0; f < x.cols(); ++f) {
      float best = -std::numeric_limits<float>::infinity();
      float second = best;
      const auto ptr = a.row_ptr().host();
      for (graph::EdgeId k = ptr[i]; k < ptr[i + 1]; ++k) {
        const float w = edge_weight != nullptr ? edge_weight->data()[k * heads + f / channels]
                        : a.has_values()       ? a.values().data()[k]
                                               : 1.0f;
        const float v = w * x.data()[a.col_idx()[k] * x.cols() + f];
        second = std::max(second, std::min(best, v));
        best = std::max(best, v);
      }
      if (best - second < gap) return false;
    }
  }
  return true;
}

TEST(Spmm, SumMatchesDenseReferenceOnDiamond) {
  const graph::Csr a = test::diamond();
  const Tensor x = random_tensor(5, 3, 1);
  const Tensor expected = Tensor::from(test::dense(a) * x.host());
  EXPECT_TRUE(all_close(ops::spmm(a, x), expected));
}

TEST(Spmm, DiamondHandComputedForEveryReduction) {
  const graph::Csr a = test::diamond();
  const Tensor x = Tensor::from_rows({{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}});
  // Row 3 gathers x0 + x1 + x2; rows 1 and 2 gather x0; rows 0 and 4 are empty.
  EXPECT_TRUE(all_close(ops::spmm(a, x, Reduce::Sum),
                        Tensor::from_rows({{0, 0}, {1, 2}, {1, 2}, {9, 12}, {0, 0}})));
  EXPECT_TRUE(all_close(ops::spmm(a, x, Reduce::Mean),
                        Tensor::from_rows({{0, 0}, {1, 2}, {1, 2}, {3, 4}, {0, 0}})));
  EXPECT_TRUE(all_close(ops::spmm(a, x, Reduce::Max),
                        Tensor::from_rows({{0, 0}, {1, 2}, {1, 2}, {5, 6}, {0, 0}})));
  // Edge values 1..5: row 2 = 2·x0, row 3 = 3·x0 + 4·x1 + 5·x2.
  const graph::Csr weighted = test::diamond(Tensor::from_rows({{1}, {2}, {3}, {4}, {5}}));
  EXPECT_TRUE(all_close(ops::spmm(weighted, x),
                        Tensor::from_rows({{0, 0}, {1, 2}, {2, 4}, {40, 52}, {0, 0}})));
}

TEST(Spmm, MatchesReferenceOnRandomGraphForEveryWidthAndReduction) {
  const graph::Csr plain = test::random_graph(40, 30, 0.2, 3);  // rectangular, empty rows
  const graph::Csr valued = plain.with_values(random_tensor(plain.num_edges(), 1, 4));
  // Widths exercise each register tile (128, 64, 32, 16) and the tail.
  for (const Index width : {1, 5, 16, 17, 48, 130, 257}) {
    const Tensor x = random_tensor(30, width, static_cast<std::uint64_t>(width));
    for (const Reduce reduce : kReductions) {
      for (const graph::Csr* a : {&plain, &valued}) {
        EXPECT_TRUE(all_close(ops::spmm(*a, x, reduce),
                              test::reference_spmm(*a, nullptr, x, reduce), 1e-4f, 1e-4f))
            << "width " << width << " reduce " << static_cast<int>(reduce)
            << (a->has_values() ? " valued" : " plain");
      }
    }
  }
}

TEST(Spmm, LargeOutputMatchesReference) {
  // 20000 × 128 floats = 10 MB of output: above the size from which the kernel streams its stores.
  const graph::Csr a = test::sparse_random_graph(20000, 20000, 4, 26);
  const Tensor x = random_tensor(20000, 128, 27);
  for (const Reduce reduce : kReductions) {
    EXPECT_TRUE(all_close(ops::spmm(a, x, reduce), test::reference_spmm(a, nullptr, x, reduce),
                          1e-5f, 1e-5f))
        << static_cast<int>(reduce);
  }
}

TEST(Spmm, EdgeWeightedMultiHeadMatchesReference) {
  const graph::Csr a = test::random_graph(30, 25, 0.25, 5);
  for (const Index heads : {1, 2, 4}) {
    for (const Index channels : {3, 16}) {
      const Tensor w = random_tensor(a.num_edges(), heads, 6);
      const Tensor x = random_tensor(25, heads * channels, 7);
      for (const Reduce reduce : kReductions) {
        EXPECT_TRUE(all_close(ops::spmm(a, w, x, reduce), test::reference_spmm(a, &w, x, reduce),
                              1e-4f, 1e-4f))
            << heads << " heads × " << channels << ", reduce " << static_cast<int>(reduce);
      }
    }
  }
}

TEST(Spmm, EdgeWeightsReplaceGraphValues) {
  const graph::Csr a = test::diamond(Tensor::from_rows({{9}, {9}, {9}, {9}, {9}}));
  const Tensor x = random_tensor(5, 4, 8);
  const Tensor ones = Tensor::ones(a.num_edges(), 1);
  EXPECT_TRUE(all_close(ops::spmm(a, ones, x), ops::spmm(test::diamond(), x)));
}

TEST(Spmm, EmptyGraphAndZeroWidth) {
  const graph::Csr a(3, 4, graph::EdgeIds{0, 0, 0, 0},
                     graph::NodeIds(std::vector<graph::NodeId>{}));
  for (const Reduce reduce : kReductions) {
    EXPECT_TRUE(all_close(ops::spmm(a, random_tensor(4, 5, 9), reduce), Tensor::zeros(3, 5)));
    EXPECT_EQ(ops::spmm(test::diamond(), Tensor::zeros(5, 0), reduce).cols(), 0);
  }
}

TEST(Spmm, GradientOfXMatchesFiniteDifferences) {
  const graph::Csr plain = test::random_graph(9, 7, 0.4, 10);
  const graph::Csr valued = plain.with_values(random_tensor(plain.num_edges(), 1, 11));
  for (const graph::Csr* a : {&plain, &valued}) {
    for (const Reduce reduce : {Reduce::Sum, Reduce::Mean}) {
      const auto f = [&](Tape& tape, const std::vector<Var>& v) {
        return ops::spmm(tape, *a, v[0], reduce);
      };
      EXPECT_TRUE(gradient_matches(f, {random_tensor(7, 3, 12)})) << static_cast<int>(reduce);
    }
  }
}

TEST(Spmm, MaxGradientOfXMatchesFiniteDifferences) {
  const graph::Csr plain = test::random_graph(9, 7, 0.5, 13);
  const graph::Csr valued = plain.with_values(Tensor::full(plain.num_edges(), 1, 0.5f));
  const Tensor x = test::distinct_tensor(7, 3, 14, 1.0f);  // negative and positive entries
  for (const graph::Csr* a : {&plain, &valued}) {
    ASSERT_TRUE(max_is_stable(*a, nullptr, x, 0.04f));
    const auto f = [&](Tape& tape, const std::vector<Var>& v) {
      return ops::spmm(tape, *a, v[0], Reduce::Max);
    };
    EXPECT_TRUE(gradient_matches(f, {x}));
  }
}

TEST(Spmm, MaxGradientGoesToTheFirstEdgeOnTies) {
  Parameter x(Tensor::ones(5, 1));
  Tape tape;
  const Var out = ops::spmm(tape, test::diamond(), tape.param(x), Reduce::Max);
  const Var loss = tape.record(Tensor::scalar(0.0f), {out}, [](Tape::Step& s) {
    for (Index i = 0; i < s.grad_in[0]->size(); ++i) s.grad_in[0]->data()[i] += 1.0f;
  });
  tape.backward(loss);
  // Rows 1, 2 and 3 (a three-way tie, won by edge 3←0) all route their gradient to x0.
  EXPECT_TRUE(all_close(x.grad, Tensor::from_rows({{3}, {0}, {0}, {0}, {0}})));
}

TEST(Spmm, EdgeWeightGradientsMatchFiniteDifferences) {
  const graph::Csr a = test::random_graph(8, 6, 0.4, 15);
  for (const Reduce reduce : {Reduce::Sum, Reduce::Mean}) {
    const auto f = [&](Tape& tape, const std::vector<Var>& v) {
      return ops::spmm(tape, a, v[0], v[1], reduce);
    };
    EXPECT_TRUE(gradient_matches(f, {random_tensor(a.num_edges(), 2, 16), random_tensor(6, 6, 17)}))
        << static_cast<int>(reduce);
  }
}

TEST(Spmm, EdgeWeightedMaxGradientsMatchFiniteDifferences) {
  const graph::Csr a = test::random_graph(8, 6, 0.4, 18);
  // Positive weights in [0.5, 1.5) and distinct x entries 0.1 apart; the precondition below checks
  // that no finite-difference step can change a winner.
  const Tensor w = random_tensor(a.num_edges(), 2, 19, 0.5f, 1.5f);
  const Tensor x = test::distinct_tensor(6, 4, 20);
  ASSERT_TRUE(max_is_stable(a, &w, x, 0.06f));
  const auto f = [&](Tape& tape, const std::vector<Var>& v) {
    return ops::spmm(tape, a, v[0], v[1], Reduce::Max);
  };
  EXPECT_TRUE(gradient_matches(f, {w, x}));
}

TEST(Spmm, BitIdenticalOnOneAndTwoThreads) {
  const graph::Csr plain = test::random_graph(3000, 2000, 0.01, 21);
  const graph::Csr valued = plain.with_values(random_tensor(plain.num_edges(), 1, 22));
  const Tensor x = random_tensor(2000, 40, 23);
  const Tensor w = random_tensor(plain.num_edges(), 2, 24);
  for (const Reduce reduce : kReductions) {
    const auto [one, two] = test::with_one_then_two_threads([&] {
      auto grads = test::value_and_grads(
          [&](Tape& t, const std::vector<Var>& v) { return ops::spmm(t, valued, v[0], reduce); },
          {x});
      const auto weighted = test::value_and_grads(
          [&](Tape& t, const std::vector<Var>& v) {
            return ops::spmm(t, plain, v[0], v[1], reduce);
          },
          {w, x});
      grads.insert(grads.end(), weighted.begin(), weighted.end());
      return grads;
    });
    EXPECT_TRUE(test::same_bits(one, two)) << "reduce " << static_cast<int>(reduce);
  }
}

// Feature-dimension blocking: the block follows the cache size and F, in whole cache lines.
TEST(Spmm, ColumnBlockFollowsCacheSizeAndWidth) {
  using ops::cpu::auto_column_block;
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  const Index n = 169'343;  // arxiv-scale: one float column of x is 677 KB
  EXPECT_EQ(auto_column_block(n, 256, 260 * kMiB), 256);  // x (173 MB) fits: one pass
  EXPECT_EQ(auto_column_block(n, 512, 260 * kMiB), 256);  // 402 fit: two even passes
  EXPECT_EQ(auto_column_block(n, 128, 32 * kMiB), 48);    // 49 fit: passes of 48, 48, 32
  EXPECT_EQ(auto_column_block(n, 128, 8 * kMiB), 32);     // 12 fit: at least 2 lines
  EXPECT_EQ(auto_column_block(n, 16, 1 * kMiB), 16);      // narrow x: one pass
  EXPECT_EQ(auto_column_block(0, 256, 1 * kMiB), 256);    // rows unknown: one pass
  for (const Index width : {40, 100, 300, 1000}) {
    const Index block = auto_column_block(n, width, 8 * kMiB);
    EXPECT_TRUE(block == width || block % 16 == 0) << width;
    EXPECT_GE(block, std::min<Index>(width, 32)) << width;
  }
}

// Any column block gives the same bits as one pass (each output sums its edges in order).
TEST(Spmm, SameBitsForEveryColumnBlock) {
  const graph::Csr a = test::random_graph(500, 400, 0.05, 31);
  const Tensor x = random_tensor(400, 200, 32);
  Tensor one_pass = Tensor::empty(500, 200);
  Tensor blocked = Tensor::empty(500, 200);
  ops::cpu::SpmmProblem<graph::NodeId> p;
  p.num_rows = a.num_rows();
  p.row_ptr = a.row_ptr().data();
  p.col_idx = a.col_idx().data();
  p.x = x.data();
  p.width = x.cols();
  p.x_rows = x.rows();
  p.out = one_pass.data();
  p.column_block = 200;
  ops::cpu::spmm_sum_kernel(p, ops::cpu::UnitWeight{});
  for (const Index block : {16, 32, 48, 112}) {
    p.out = blocked.data();
    p.column_block = block;
    ops::cpu::spmm_sum_kernel(p, ops::cpu::UnitWeight{});
    EXPECT_TRUE(test::same_bits(one_pass, blocked)) << "block " << block;
  }
}

TEST(Spmm, RejectsBadInput) {
  const graph::Csr a = test::diamond();
  const Tensor x = random_tensor(5, 4, 25);
  Tape tape;
  test::expect_error<InvalidArgument>([&] { ops::spmm(a, random_tensor(4, 4, 1)); }, "spmm",
                                      "x has the wrong number of rows: 4 vs 5");
  test::expect_error<InvalidArgument>(
      [&] { ops::spmm(tape, a, tape.constant(random_tensor(6, 4, 1)), Reduce::Max); }, "spmm",
      "x has the wrong number of rows: 6 vs 5");
  test::expect_error<InvalidArgument>([&] { ops::spmm(a, random_tensor(4, 1, 1), x); }, "spmm",
                                      "edge_weight has the wrong number of rows: 4 vs 5");
  test::expect_error<InvalidArgument>(
      [&] { ops::spmm(tape, a, tape.constant(random_tensor(5, 3, 1)), tape.constant(x)); }, "spmm",
      "not divisible by the number of heads: 4 columns");
  test::expect_error<InvalidArgument>([&] { ops::spmm(a, x, static_cast<Reduce>(7)); }, "spmm",
                                      "unknown reduction");
  test::expect_error<InvalidArgument>([&] { ops::spmm(a, test::fake_cuda_tensor(5, 4)); }, "spmm",
                                      "x is on the wrong device: cuda vs cpu");
  test::expect_error<InvalidArgument>([&] { ops::spmm(a, test::fake_cuda_tensor(5, 1), x); },
                                      "spmm", "edge_weight is on the wrong device: cuda vs cpu");
  const graph::Csr on_cuda = test::fake_cuda_graph(a);
  if constexpr (!build::kWithCuda) {  // a CUDA build would run the kernel on the fake device data
    test::expect_error<Unsupported>([&] { ops::spmm(on_cuda, test::fake_cuda_tensor(5, 4)); },
                                    "spmm", "MOEGNN_WITH_CUDA=OFF");
    test::expect_error<Unsupported>(
        [&] { ops::spmm(on_cuda, test::fake_cuda_tensor(5, 4), Reduce::Mean); }, "spmm",
        "MOEGNN_WITH_CUDA=OFF");
    test::expect_error<Unsupported>(
        [&] { ops::spmm(on_cuda, test::fake_cuda_tensor(5, 2), test::fake_cuda_tensor(5, 4)); },
        "spmm", "MOEGNN_WITH_CUDA=OFF");
  }
  test::expect_error<InvalidArgument>([&] { ops::spmm(on_cuda, x); }, "spmm",
                                      "x is on the wrong device: cpu vs cuda");
}

}  // namespace
}  // namespace moegnn
