// SPDX-License-Identifier: Apache-2.0
// ops::sddmm_dot and ops::sddmm_add: naive references (single and multi-head, rectangular graphs),
// gradients by central differences, bit-identical results on 1 and 2 threads, bad input.
#include <gtest/gtest.h>

#include "core/config.h"
#include "core/error.h"
#include "layers/ops/sddmm.h"
#include "tests/layers/ops/op_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn {
namespace {

using support::all_close;
using support::gradient_matches;
using support::random_tensor;

// e[k, h] = <dst[i, head h], src[j, head h]>, in double.
Tensor reference_dot(const graph::Csr& a, const Tensor& dst, const Tensor& src, Index heads) {
  const Index width = dst.cols();
  const Index channels = width / heads;
  Tensor out = Tensor::zeros(a.num_edges(), heads);
  const auto ptr = a.row_ptr().host();
  const auto cols = a.col_idx().host();
  for (Index i = 0; i < a.num_rows(); ++i) {
    for (graph::EdgeId k = ptr[i]; k < ptr[i + 1]; ++k) {
      for (Index h = 0; h < heads; ++h) {
        double sum = 0.0;
        for (Index c = h * channels; c < (h + 1) * channels; ++c)
          sum += static_cast<double>(dst.data()[i * width + c]) * src.data()[cols[k] * width + c];
        out.data()[k * heads + h] = static_cast<float>(sum);
      }
    }
  }
  return out;
}

TEST(Sddmm, DotHandComputedOnBipartite) {
  // Row 0 = {0, 1}, row 1 = {1, 2}: e = (<d0, s0>, <d0, s1>, <d1, s1>, <d1, s2>).
  const Tensor dst = Tensor::from_rows({{1, 2}, {3, 4}});
  const Tensor src = Tensor::from_rows({{1, 0}, {0, 1}, {1, 1}});
  EXPECT_TRUE(all_close(ops::sddmm_dot(test::bipartite(), dst, src),
                        Tensor::from_rows({{1}, {2}, {4}, {7}})));
  // Two heads of one channel each: e[k] = (d_i0 · s_j0, d_i1 · s_j1).
  EXPECT_TRUE(all_close(ops::sddmm_dot(test::bipartite(), dst, src, 2),
                        Tensor::from_rows({{1, 0}, {0, 2}, {0, 4}, {3, 4}})));
}

TEST(Sddmm, DotMatchesReferenceForWidthsAndHeads) {
  const graph::Csr a = test::random_graph(30, 20, 0.3, 1);
  for (const Index heads : {1, 2, 4}) {
    for (const Index channels : {1, 7, 16, 40}) {
      const Tensor dst = random_tensor(30, heads * channels, 2);
      const Tensor src = random_tensor(20, heads * channels, 3);
      EXPECT_TRUE(all_close(ops::sddmm_dot(a, dst, src, heads), reference_dot(a, dst, src, heads),
                            1e-4f, 1e-4f))
          << heads << " heads × " << channels;
    }
  }
}

TEST(Sddmm, AddHandComputedOnBipartite) {
  const Tensor dst = Tensor::from_rows({{10, 1}, {20, 2}});
  const Tensor src = Tensor::from_rows({{1, 100}, {2, 200}, {3, 300}});
  EXPECT_TRUE(all_close(ops::sddmm_add(test::bipartite(), dst, src),
                        Tensor::from_rows({{11, 101}, {12, 201}, {22, 202}, {23, 302}})));
}

TEST(Sddmm, DotGradientsMatchFiniteDifferences) {
  const graph::Csr a = test::random_graph(7, 6, 0.4, 4);
  for (const Index heads : {1, 2}) {
    const auto f = [&](Tape& tape, const std::vector<Var>& v) {
      return ops::sddmm_dot(tape, a, v[0], v[1], heads);
    };
    EXPECT_TRUE(gradient_matches(f, {random_tensor(7, 4, 5), random_tensor(6, 4, 6)})) << heads;
  }
}

TEST(Sddmm, AddGradientsMatchFiniteDifferences) {
  const graph::Csr a = test::random_graph(7, 6, 0.4, 7);
  const auto f = [&](Tape& tape, const std::vector<Var>& v) {
    return ops::sddmm_add(tape, a, v[0], v[1]);
  };
  EXPECT_TRUE(gradient_matches(f, {random_tensor(7, 3, 8), random_tensor(6, 3, 9)}));
}

TEST(Sddmm, BitIdenticalOnOneAndTwoThreads) {
  const graph::Csr a = test::random_graph(3000, 2000, 0.01, 10);
  const Tensor dst = random_tensor(3000, 32, 11);
  const Tensor src = random_tensor(2000, 32, 12);
  const auto [one, two] = test::with_one_then_two_threads([&] {
    auto grads = test::value_and_grads(
        [&](Tape& t, const std::vector<Var>& v) { return ops::sddmm_dot(t, a, v[0], v[1], 4); },
        {dst, src});
    const auto add = test::value_and_grads(
        [&](Tape& t, const std::vector<Var>& v) { return ops::sddmm_add(t, a, v[0], v[1]); },
        {random_tensor(3000, 4, 13), random_tensor(2000, 4, 14)});
    grads.insert(grads.end(), add.begin(), add.end());
    return grads;
  });
  EXPECT_TRUE(test::same_bits(one, two));
}

TEST(Sddmm, RejectsBadInput) {
  const graph::Csr a = test::bipartite();
  const Tensor dst = random_tensor(2, 4, 1);
  const Tensor src = random_tensor(3, 4, 2);
  Tape tape;
  test::expect_error<InvalidArgument>([&] { ops::sddmm_dot(a, random_tensor(3, 4, 1), src); },
                                      "sddmm_dot", "dst has the wrong number of rows: 3 vs 2");
  test::expect_error<InvalidArgument>([&] { ops::sddmm_dot(a, dst, random_tensor(2, 4, 1)); },
                                      "sddmm_dot", "src has the wrong number of rows: 2 vs 3");
  test::expect_error<InvalidArgument>([&] { ops::sddmm_dot(a, dst, random_tensor(3, 5, 1)); },
                                      "sddmm_dot", "src has the wrong number of columns: 5 vs 4");
  test::expect_error<InvalidArgument>(
      [&] { ops::sddmm_dot(tape, a, tape.constant(dst), tape.constant(src), 3); }, "sddmm_dot",
      "not divisible by the number of heads: 4 columns");
  test::expect_error<InvalidArgument>([&] { ops::sddmm_dot(a, dst, src, 0); }, "sddmm_dot",
                                      "heads must be positive");
  test::expect_error<InvalidArgument>(
      [&] { ops::sddmm_add(tape, a, tape.constant(dst), tape.constant(random_tensor(3, 2, 1))); },
      "sddmm_add", "src has the wrong number of columns: 2 vs 4");
  test::expect_error<InvalidArgument>([&] { ops::sddmm_add(a, test::fake_cuda_tensor(2, 4), src); },
                                      "sddmm_add", "dst is on the wrong device: cuda vs cpu");
  const graph::Csr on_cuda = test::fake_cuda_graph(a);
  if constexpr (!build::kWithCuda) {  // a CUDA build would run the kernel on the fake device data
    test::expect_error<Unsupported>(
        [&] {
          ops::sddmm_dot(on_cuda, test::fake_cuda_tensor(2, 4), test::fake_cuda_tensor(3, 4));
        },
        "sddmm_dot", "MOEGNN_WITH_CUDA=OFF");
  }
}

}  // namespace
}  // namespace moegnn
