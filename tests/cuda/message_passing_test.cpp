// SPDX-License-Identifier: Apache-2.0
// The message-passing ops on CUDA (our own kernels: SpMM Mean/Max/heads, SDDMM, edge softmax,
// segment reductions) against the CPU kernels on the same seeded graphs with empty rows: forward
// values and gradients of every input through the Tape, argmax ties, empty graphs and run-to-run
// bit equality. Tolerances: sums and dot products add at most ~40 products of entries in [-1, 1)
// in another order (and with fused multiply-adds) on the GPU, so they differ by a few float32
// roundings of partial sums of magnitude <= 40: below 1e-4 absolute + 1e-4 relative (the GEMM
// tests' bound); expf and std::exp differ by at most 2 ulp, far inside it. Max forward values are
// one rounded product on both devices and must match exactly, and the argmax must be the same
// edge: features and weights drawn from a coarse grid make ties common, and a tie resolved
// differently sends a whole gradient entry to another x row, far outside the tolerance.
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/rng.h"
#include "core/tape.h"
#include "graph/csr.h"
#include "layers/ops/edge_softmax.h"
#include "layers/ops/sddmm.h"
#include "layers/ops/segment.h"
#include "layers/ops/spmm.h"
#include "tests/cuda/cuda_test_util.h"
#include "tests/layers/ops/op_fixtures.h"

namespace moegnn {
namespace {

using ops::Reduce;

constexpr float kTol = 1e-4f;
using Fn = test::TapeFn;

// rows × cols entries from {-1, -0.5, 0, 0.5, 1}: exact products, frequent ties.
Tensor grid_tensor(Index rows, Index cols, std::uint64_t seed) {
  Rng rng(seed);
  Tensor t = Tensor::empty(rows, cols);
  for (Index i = 0; i < t.size(); ++i)
    t.data()[i] = 0.5f * static_cast<float>(static_cast<int>(rng.below(5)) - 2);
  return t;
}

// The same f and inputs on both devices: values and gradients within `tol` (0: identical bits).
testing::AssertionResult devices_agree(const Fn& f, const std::vector<Tensor>& inputs,
                                       float tol = kTol) {
  const std::vector<Tensor> cpu = test::value_and_grads(Device::Cpu, f, inputs);
  const std::vector<Tensor> gpu = test::value_and_grads(Device::Cuda, f, inputs);
  for (std::size_t i = 0; i < cpu.size(); ++i) {
    const testing::AssertionResult close = support::all_close(gpu[i], cpu[i], tol, tol);
    if (close) continue;
    const std::string what =
        i == 0 ? std::string("the value") : "the gradient of input " + std::to_string(i - 1);
    return testing::AssertionFailure() << what << ": " << close.message();
  }
  return testing::AssertionSuccess();
}

// A 40 × 30 graph with every fifth row empty, and the graph on the device (ops run where the data
// is, so each f picks the copy that matches its inputs).
struct Graphs {
  graph::Csr cpu = test::random_graph(40, 30, 0.25, 7);
  graph::Csr gpu = cpu.to(Device::Cuda);
  graph::Csr valued = cpu.with_values(grid_tensor(cpu.num_edges(), 1, 8));
  graph::Csr valued_gpu = valued.to(Device::Cuda);
  const graph::Csr& on(Device d, bool values) const {
    if (values) return d == Device::Cpu ? valued : valued_gpu;
    return d == Device::Cpu ? cpu : gpu;
  }
};

TEST(CudaMessagePassing, SpmmMeanAndMaxMatchCpuWithGraphValues) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Graphs g;
  for (const bool values : {false, true}) {
    for (const Reduce reduce : {Reduce::Mean, Reduce::Max}) {
      // 130 columns: more than one 128-wide column block per warp.
      for (const Index width : {1, 7, 33, 130}) {
        const Fn f = [&](Tape& tape, const std::vector<Var>& in) {
          return ops::spmm(tape, g.on(in[0].value().device(), values), in[0], reduce);
        };
        const float tol = reduce == Reduce::Max ? 0.0f : kTol;
        EXPECT_TRUE(devices_agree(f, {grid_tensor(30, width, 10 + width)}, tol))
            << "reduce " << static_cast<int>(reduce) << ", width " << width
            << (values ? ", graph values" : "");
      }
    }
  }
}

TEST(CudaMessagePassing, SpmmWithHeadsMatchesCpuForEveryReductionAndBothGradients) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Graphs g;
  for (const Reduce reduce : {Reduce::Sum, Reduce::Mean, Reduce::Max}) {
    for (const Index heads : {1, 3}) {
      const Index width = heads * 5;
      const Fn f = [&](Tape& tape, const std::vector<Var>& in) {
        const Device d = in[0].value().device();
        return ops::spmm(tape, d == Device::Cpu ? g.cpu : g.gpu, in[0], in[1], reduce);
      };
      const std::vector<Tensor> inputs = {grid_tensor(g.cpu.num_edges(), heads, 20 + heads),
                                          grid_tensor(30, width, 30 + heads)};
      // Max with grid values: products are exact on both devices, gradients are short sums.
      EXPECT_TRUE(devices_agree(f, inputs))
          << "reduce " << static_cast<int>(reduce) << ", heads " << heads;
    }
  }
}

TEST(CudaMessagePassing, SpmmMaxKeepsTheFirstMaximalEdgeOnTies) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  // Row 3 of the diamond gathers x[0], x[1], x[2], all equal: the first edge (from node 0) wins, so
  // the whole gradient of row 3 goes to x[0].
  const graph::Csr a = test::diamond();
  const Tensor x = Tensor::from_rows({{2.0f, -1.0f}, {2.0f, -1.0f}, {2.0f, -1.0f}, {0, 0}, {0, 0}});
  const Fn f = [&](Tape& tape, const std::vector<Var>& in) {
    const Device d = in[0].value().device();
    return ops::spmm(tape, d == Device::Cpu ? a : a.to(Device::Cuda), in[0], Reduce::Max);
  };
  const std::vector<Tensor> gpu = test::value_and_grads(Device::Cuda, f, {x});
  const std::vector<Tensor> cpu = test::value_and_grads(Device::Cpu, f, {x});
  EXPECT_TRUE(test::same_bits(gpu[0], cpu[0]));
  EXPECT_TRUE(test::same_bits(gpu[1], cpu[1]));
  // Rows 1 and 2 (one edge each, from 0) and row 3 all send their gradient to x[0]; x[1], x[2]
  // get nothing; empty rows 0 and 4 give 0.
  for (Index c = 0; c < 2; ++c) {
    EXPECT_NE(gpu[1].data()[0 * 2 + c], 0.0f);
    EXPECT_EQ(gpu[1].data()[1 * 2 + c], 0.0f);
    EXPECT_EQ(gpu[1].data()[2 * 2 + c], 0.0f);
    EXPECT_EQ(gpu[0].data()[0 * 2 + c], 0.0f);
    EXPECT_EQ(gpu[0].data()[3 * 2 + c], x.data()[c]);
  }
}

TEST(CudaMessagePassing, SddmmDotAndAddMatchCpuWithGradients) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Graphs g;
  for (const Index heads : {1, 2}) {
    // Channels per head: 3 (fewer than a warp) and 40 (more than one pass of the lanes).
    for (const Index channels : {3, 40}) {
      const Index width = heads * channels;
      const Fn dot = [&](Tape& tape, const std::vector<Var>& in) {
        const Device d = in[0].value().device();
        return ops::sddmm_dot(tape, d == Device::Cpu ? g.cpu : g.gpu, in[0], in[1], heads);
      };
      EXPECT_TRUE(devices_agree(dot, {support::random_tensor(40, width, 40 + width),
                                      support::random_tensor(30, width, 41 + width)}))
          << "dot, heads " << heads << ", width " << width;
    }
    const Fn add = [&](Tape& tape, const std::vector<Var>& in) {
      const Device d = in[0].value().device();
      return ops::sddmm_add(tape, d == Device::Cpu ? g.cpu : g.gpu, in[0], in[1]);
    };
    EXPECT_TRUE(devices_agree(add, {support::random_tensor(40, heads, 50 + heads),
                                    support::random_tensor(30, heads, 51 + heads)}))
        << "add, heads " << heads;
  }
}

TEST(CudaMessagePassing, EdgeSoftmaxMatchesCpuWithGradients) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Graphs g;
  for (const Index heads : {1, 3}) {
    const Fn f = [&](Tape& tape, const std::vector<Var>& in) {
      const Device d = in[0].value().device();
      return ops::edge_softmax(tape, d == Device::Cpu ? g.cpu : g.gpu, in[0]);
    };
    // Logits up to ±8: the row max matters for stability but not for the result.
    EXPECT_TRUE(devices_agree(
        f, {support::random_tensor(g.cpu.num_edges(), heads, 60 + heads, -8.0f, 8.0f)}))
        << "heads " << heads;
  }
}

TEST(CudaMessagePassing, EdgeSoftmaxOfAnAllNegativeInfinityRowIsZero) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const graph::Csr a = test::diamond();  // row 3 holds edges 2, 3, 4
  Tensor logits = support::random_tensor(5, 2, 70);
  for (const graph::EdgeId k : {2, 3, 4})
    logits.data()[k * 2] = -std::numeric_limits<float>::infinity();
  const Tensor gpu = ops::edge_softmax(a.to(Device::Cuda), logits.to(Device::Cuda));
  EXPECT_TRUE(support::all_close(gpu, ops::edge_softmax(a, logits), kTol, kTol));
  const Tensor host = gpu.to(Device::Cpu);
  for (const graph::EdgeId k : {2, 3, 4}) EXPECT_EQ(host.data()[k * 2], 0.0f);
}

TEST(CudaMessagePassing, SegmentSumAndMeanMatchCpuWithGradients) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  // Segments of 3, 0 (empty), 5, 1 and 3 rows over 12 rows.
  const graph::EdgeIds offsets{0, 3, 3, 8, 9, 12};
  const graph::EdgeIds on_gpu = offsets.to(Device::Cuda);
  for (const bool mean : {false, true}) {
    for (const Index width : {1, 37}) {
      const Fn f = [&](Tape& tape, const std::vector<Var>& in) {
        const graph::EdgeIds& o = in[0].value().device() == Device::Cpu ? offsets : on_gpu;
        return mean ? ops::segment_mean(tape, o, in[0]) : ops::segment_sum(tape, o, in[0]);
      };
      EXPECT_TRUE(devices_agree(f, {support::random_tensor(12, width, 80 + width)}))
          << (mean ? "mean" : "sum") << ", width " << width;
    }
  }
}

TEST(CudaMessagePassing, SegmentOffsetsOnTheDeviceAreValidated) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Tensor x = Tensor::zeros(6, 2, Device::Cuda);
  test::expect_error<InvalidArgument>(
      [&] {
        ops::segment_sum(graph::EdgeIds{0, 4, 3, 6}.to(Device::Cuda), x);
      },
      "segment_sum", "offsets decrease at segment 1");
  test::expect_error<InvalidArgument>(
      [&] {
        ops::segment_mean(graph::EdgeIds{0, 2, 5}.to(Device::Cuda), x);
      },
      "segment_mean", "offsets[S] is wrong: 5 vs 6");
}

TEST(CudaMessagePassing, GraphWithoutEdgesGivesZeros) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const graph::Csr empty = graph::Csr(3, 4, graph::EdgeIds{0, 0, 0, 0}, graph::NodeIds{});
  const graph::Csr a = empty.to(Device::Cuda);
  const Tensor x = support::random_tensor(4, 5, 90).to(Device::Cuda);
  for (const Reduce reduce : {Reduce::Mean, Reduce::Max})
    EXPECT_TRUE(support::all_close(ops::spmm(a, x, reduce), Tensor::zeros(3, 5), 0.0f, 0.0f));
  const Tensor dst = support::random_tensor(3, 5, 91).to(Device::Cuda);
  EXPECT_EQ(ops::sddmm_dot(a, dst, x).rows(), 0);
  EXPECT_EQ(ops::edge_softmax(a, Tensor::zeros(0, 2, Device::Cuda)).rows(), 0);
}

TEST(CudaMessagePassing, ForwardAndGradientsAreBitIdenticalRunToRun) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Graphs g;
  const std::vector<std::pair<const char*, Fn>> cases = {
      {"spmm mean, 2 heads",
       [&](Tape& tape, const std::vector<Var>& in) {
         return ops::spmm(tape, g.gpu, in[0], in[1], Reduce::Mean);
       }},
      {"spmm max, 2 heads",
       [&](Tape& tape, const std::vector<Var>& in) {
         return ops::spmm(tape, g.gpu, in[0], in[1], Reduce::Max);
       }},
      {"edge softmax of sddmm_dot, 2 heads",
       [&](Tape& tape, const std::vector<Var>& in) {
         const Var dst = ops::spmm(tape, g.gpu, in[1], Reduce::Mean);  // 40 × 64
         return ops::edge_softmax(tape, g.gpu, ops::sddmm_dot(tape, g.gpu, dst, in[1], 2));
       }},
  };
  const std::vector<Tensor> inputs = {support::random_tensor(g.cpu.num_edges(), 2, 95),
                                      support::random_tensor(30, 64, 96)};
  for (const auto& [name, f] : cases) {
    EXPECT_TRUE(test::same_bits(test::value_and_grads(Device::Cuda, f, inputs),
                                test::value_and_grads(Device::Cuda, f, inputs)))
        << name;
  }
}

}  // namespace
}  // namespace moegnn
