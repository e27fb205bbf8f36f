// SPDX-License-Identifier: Apache-2.0
// ops::spmm on CUDA (cuSPARSE, Reduce::Sum) against the CPU kernel on the same seeded graphs and
// features: unweighted, with the graph's values, with per-edge weights, the x gradient through the
// Tape (an SpMM over the cached transpose) and run-to-run bit equality; Mean, Max, heads and the
// other message-passing ops are in message_passing_test.cpp. Tolerance: both sides sum at most ~30
// products of entries in [-1, 1) per output element, in different orders, so they differ by a few
// float32 roundings of partial sums of magnitude <= 30: below 1e-4 absolute + 1e-4 relative (the
// GEMM tests' bound).
#include <vector>

#include <gtest/gtest.h>

#include "core/ops/linalg.h"
#include "graph/csr.h"
#include "layers/ops/spmm.h"
#include "tests/cuda/cuda_test_util.h"
#include "tests/layers/ops/op_fixtures.h"

namespace moegnn {
namespace {

constexpr float kTol = 1e-4f;

// A rectangular 40 × 30 graph with empty rows, without values and with random values.
struct Graphs {
  graph::Csr plain = test::random_graph(40, 30, 0.2, 3);
  graph::Csr valued = plain.with_values(support::random_tensor(plain.num_edges(), 1, 4));
};

TEST(CudaSpmm, SumMatchesCpuWithoutAndWithGraphValues) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Graphs g;
  for (const graph::Csr* a : {&g.plain, &g.valued}) {
    const graph::Csr on_gpu = a->to(Device::Cuda);
    // Widths 1 and odd ones, and a repeat of a width (the cached workspace size is reused).
    for (const Index width : {1, 5, 16, 33, 5}) {
      const test::Pair x = test::random_pair(30, width, static_cast<std::uint64_t>(width));
      const Tensor gpu = ops::spmm(on_gpu, x.gpu);
      EXPECT_EQ(gpu.device(), Device::Cuda);
      EXPECT_TRUE(support::all_close(gpu, ops::spmm(*a, x.cpu), kTol, kTol))
          << "width " << width << (a->has_values() ? ", graph values" : ", unweighted");
    }
  }
}

TEST(CudaSpmm, EdgeWeightsMatchCpuAndDoNotStickToTheGraph) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Graphs g;
  const graph::Csr on_gpu = g.plain.to(Device::Cuda);
  const test::Pair x = test::random_pair(30, 7, 11);
  for (const std::uint64_t seed : {12u, 13u}) {
    const test::Pair w = test::random_pair(g.plain.num_edges(), 1, seed);
    EXPECT_TRUE(support::all_close(ops::spmm(on_gpu, w.gpu, x.gpu),
                                   ops::spmm(g.plain, w.cpu, x.cpu), kTol, kTol))
        << "seed " << seed;
  }
  // The cached descriptor carried the weights of the last call; an unweighted call must not see
  // them.
  EXPECT_TRUE(support::all_close(ops::spmm(on_gpu, x.gpu), ops::spmm(g.plain, x.cpu), kTol, kTol));
}

// d(u · spmm(a, x) · v)/dx, with edge weights when given (a constant): matmul has a CUDA kernel,
// so the whole backward runs on the graph's device. Returns the gradient on the CPU.
Tensor x_gradient(const graph::Csr& a, const Tensor& x, const Tensor* edge_weight, const Tensor& u,
                  const Tensor& v) {
  Parameter p(x.clone());
  Tape tape;
  const Var out = edge_weight == nullptr
                      ? ops::spmm(tape, a, tape.param(p))
                      : ops::spmm(tape, a, tape.constant(*edge_weight), tape.param(p));
  const Var loss =
      ops::matmul(tape, ops::matmul(tape, tape.constant(u), out), tape.constant(v));  // 1 × 1
  tape.backward(loss);
  return p.grad.to(Device::Cpu);
}

TEST(CudaSpmm, XGradientThroughTheTapeMatchesCpu) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Graphs g;
  const Index width = 9;
  const test::Pair x = test::random_pair(30, width, 21);
  const test::Pair u = test::random_pair(1, 40, 22);
  const test::Pair v = test::random_pair(width, 1, 23);
  const test::Pair w = test::random_pair(g.plain.num_edges(), 1, 24);
  for (const graph::Csr* a : {&g.plain, &g.valued}) {
    const Tensor cpu = x_gradient(*a, x.cpu, nullptr, u.cpu, v.cpu);
    const Tensor gpu = x_gradient(a->to(Device::Cuda), x.gpu, nullptr, u.gpu, v.gpu);
    EXPECT_TRUE(support::all_close(gpu, cpu, kTol, kTol)) << (a->has_values() ? "values" : "plain");
  }
  const Tensor cpu = x_gradient(g.plain, x.cpu, &w.cpu, u.cpu, v.cpu);
  const Tensor gpu = x_gradient(g.plain.to(Device::Cuda), x.gpu, &w.gpu, u.gpu, v.gpu);
  EXPECT_TRUE(support::all_close(gpu, cpu, kTol, kTol)) << "edge weights";
}

TEST(CudaSpmm, ForwardAndGradientAreBitIdenticalRunToRun) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Graphs g;
  const graph::Csr a = g.valued.to(Device::Cuda);
  const test::Pair x = test::random_pair(30, 64, 31);
  const test::Pair u = test::random_pair(1, 40, 32);
  const test::Pair v = test::random_pair(64, 1, 33);
  EXPECT_TRUE(
      test::same_bits(ops::spmm(a, x.gpu).to(Device::Cpu), ops::spmm(a, x.gpu).to(Device::Cpu)));
  EXPECT_TRUE(test::same_bits(x_gradient(a, x.gpu, nullptr, u.gpu, v.gpu),
                              x_gradient(a, x.gpu, nullptr, u.gpu, v.gpu)));
}

TEST(CudaSpmm, TransposeOfADeviceGraphIsTheHostTransposeMoved) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Graphs g;
  const graph::Csr on_gpu = g.valued.to(Device::Cuda);
  const graph::Csr& t = on_gpu.transpose();
  const graph::Csr& expected = g.valued.transpose();
  EXPECT_EQ(t.device(), Device::Cuda);
  EXPECT_EQ(t.num_rows(), 30);
  EXPECT_EQ(t.row_ptr().to_vector(), expected.row_ptr().to_vector());
  EXPECT_EQ(t.col_idx().to_vector(), expected.col_idx().to_vector());
  EXPECT_TRUE(support::all_close(t.values(), expected.values(), 0.0f, 0.0f));
  EXPECT_EQ(on_gpu.transpose_edge_ids().to_vector(), g.valued.transpose_edge_ids().to_vector());
}

TEST(CudaSpmm, GraphWithoutEdgesGivesZeros) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const graph::Csr empty(3, 4, graph::EdgeIds{0, 0, 0, 0}, graph::NodeIds{});
  const test::Pair x = test::random_pair(4, 2, 41);
  EXPECT_TRUE(support::all_close(ops::spmm(empty.to(Device::Cuda), x.gpu), Tensor::zeros(3, 2),
                                 0.0f, 0.0f));
}

}  // namespace
}  // namespace moegnn
