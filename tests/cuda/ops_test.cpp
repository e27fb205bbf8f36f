// SPDX-License-Identifier: Apache-2.0
// CUDA ops against the CPU ops on the same seeded inputs: matmul in every transpose mode, with and
// without accumulation, relu and add, and gradients through the Tape. Tolerances: GEMM sums k
// products in another order than Eigen, so results differ by a few float32 roundings of the
// partial sums; with entries in [-1, 1) and k <= 300 that is below 1e-4 absolute + 1e-4 relative.
// Elementwise kernels do the same single float operation as the CPU and must match exactly.
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "tests/cuda/cuda_test_util.h"

namespace moegnn {
namespace {

using ops::Transpose;

constexpr float kGemmTol = 1e-4f;
const std::vector<Transpose> kModes = {Transpose::None, Transpose::Left, Transpose::Right,
                                       Transpose::Both};

bool left(Transpose t) { return t == Transpose::Left || t == Transpose::Both; }
bool right(Transpose t) { return t == Transpose::Right || t == Transpose::Both; }

// op(a) of m × k and op(b) of k × n, stored transposed where the mode says so.
struct Operands {
  test::Pair a;
  test::Pair b;
};
Operands operands(Index m, Index k, Index n, Transpose t, std::uint64_t seed) {
  return {left(t) ? test::random_pair(k, m, seed) : test::random_pair(m, k, seed),
          right(t) ? test::random_pair(n, k, seed + 1) : test::random_pair(k, n, seed + 1)};
}

struct Shape {
  Index m, k, n;
};
// Odd sizes (no multiple of a tile), a tall-skinny weight-gradient shape and a 1 × 1 output.
const std::vector<Shape> kShapes = {{5, 7, 3}, {37, 53, 29}, {300, 16, 8}, {1, 300, 1}};

TEST(CudaMatmul, MatchesCpuInEveryTransposeMode) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  for (const Transpose t : kModes) {
    for (const Shape& s : kShapes) {
      const Operands o = operands(s.m, s.k, s.n, t, 100 + static_cast<std::uint64_t>(s.k));
      const Tensor gpu = ops::matmul(o.a.gpu, o.b.gpu, t);
      EXPECT_EQ(gpu.device(), Device::Cuda);
      EXPECT_TRUE(support::all_close(gpu, ops::matmul(o.a.cpu, o.b.cpu, t), kGemmTol, kGemmTol))
          << "mode " << static_cast<int>(t) << ", " << s.m << " × " << s.k << " × " << s.n;
    }
  }
}

TEST(CudaMatmul, AccumulateAddsIntoTheOutput) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  for (const Transpose t : kModes) {
    const Operands o = operands(23, 41, 17, t, 5);
    const test::Pair out = test::random_pair(23, 17, 9);
    Tensor cpu = out.cpu.clone();
    Tensor gpu = out.gpu.clone();
    ops::matmul_accumulate(o.a.cpu, o.b.cpu, cpu, t);
    ops::matmul_accumulate(o.a.gpu, o.b.gpu, gpu, t);
    EXPECT_TRUE(support::all_close(gpu, cpu, kGemmTol, kGemmTol)) << "mode " << static_cast<int>(t);
    // The inputs were not written.
    EXPECT_TRUE(support::all_close(out.gpu, out.cpu, 0.0f, 0.0f));
  }
}

TEST(CudaMatmul, EmptyInnerDimensionGivesZerosOrLeavesTheOutput) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Tensor a = Tensor::empty(4, 0, Device::Cuda);
  const Tensor b = Tensor::empty(0, 3, Device::Cuda);
  EXPECT_TRUE(support::all_close(ops::matmul(a, b), Tensor::zeros(4, 3), 0.0f, 0.0f));
  Tensor out = Tensor::full(4, 3, 2.0f, Device::Cuda);
  ops::matmul_accumulate(a, b, out);
  EXPECT_TRUE(support::all_close(out, Tensor::full(4, 3, 2.0f), 0.0f, 0.0f));
}

TEST(CudaMatmul, Tf32IsOffByDefaultAndCloseWhenOn) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  EXPECT_FALSE(cuda::allow_tf32());
  const Operands o = operands(64, 256, 64, Transpose::None, 3);
  const Tensor cpu = ops::matmul(o.a.cpu, o.b.cpu);
  cuda::set_allow_tf32(true);
  const Tensor tf32 = ops::matmul(o.a.gpu, o.b.gpu).to(Device::Cpu);
  cuda::set_allow_tf32(false);
  // TF32 keeps 10 mantissa bits per product: ~1e-3 relative per term, ~sqrt(k)·1e-3 summed.
  EXPECT_TRUE(support::all_close(tf32, cpu, 5e-2f, 1e-2f));
  EXPECT_TRUE(support::all_close(ops::matmul(o.a.gpu, o.b.gpu), cpu, kGemmTol, kGemmTol));
}

TEST(CudaMatmul, MixedDevicesThrow) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const test::Pair a = test::random_pair(2, 3, 1);
  EXPECT_THROW(ops::matmul(a.gpu, Tensor::ones(3, 2)), InvalidArgument);
}

TEST(CudaElementwise, ReluAndAddMatchCpuExactly) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const test::Pair x = test::random_pair(129, 33, 21);
  const test::Pair y = test::random_pair(129, 33, 22);
  Tape cpu_tape;
  Tape gpu_tape;
  const Var r_cpu = ops::relu(cpu_tape, cpu_tape.constant(x.cpu));
  const Var r_gpu = ops::relu(gpu_tape, gpu_tape.constant(x.gpu));
  EXPECT_EQ(r_gpu.value().device(), Device::Cuda);
  EXPECT_TRUE(support::all_close(r_gpu.value(), r_cpu.value(), 0.0f, 0.0f));
  const Var s_cpu = ops::add(cpu_tape, cpu_tape.constant(x.cpu), cpu_tape.constant(y.cpu));
  const Var s_gpu = ops::add(gpu_tape, gpu_tape.constant(x.gpu), gpu_tape.constant(y.gpu));
  EXPECT_TRUE(support::all_close(s_gpu.value(), s_cpu.value(), 0.0f, 0.0f));
}

TEST(CudaElementwise, FormerlyMissingKernelsRunOnTheDevice) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  // Every dense core op has a CUDA kernel now (tests/cuda/core_ops_test.cpp checks each one
  // against the CPU); these two used to throw Unsupported.
  Tape tape;
  const Var x = tape.constant(Tensor::ones(4, 3, Device::Cuda));
  EXPECT_EQ(ops::exp(tape, x).value().device(), Device::Cuda);
  EXPECT_EQ(ops::add(tape, x, tape.constant(Tensor::ones(1, 3, Device::Cuda))).value().device(),
            Device::Cuda);
}

// loss = u · relu(op(A)·op(B) + C) · v: 1 × 1 from matmul, add and relu alone, so the whole
// backward pass runs on the device. Returns the gradients of A, B and C on the CPU.
std::vector<Tensor> gradients(Device device, Transpose t, const Operands& o, const test::Pair& c,
                              const test::Pair& u, const test::Pair& v) {
  const auto pick = [device](const test::Pair& p) { return device == Device::Cpu ? p.cpu : p.gpu; };
  Parameter a(pick(o.a).clone());
  Parameter b(pick(o.b).clone());
  Parameter bias(pick(c).clone());
  Tape tape;
  const Var product = ops::matmul(tape, tape.param(a), tape.param(b), t);
  const Var hidden = ops::relu(tape, ops::add(tape, product, tape.param(bias)));
  const Var row = ops::matmul(tape, tape.constant(pick(u)), hidden);  // 1 × n
  const Var loss = ops::matmul(tape, row, tape.constant(pick(v)));    // 1 × 1
  tape.backward(loss);
  return {a.grad.to(Device::Cpu), b.grad.to(Device::Cpu), bias.grad.to(Device::Cpu)};
}

TEST(CudaBackward, MatmulAddReluGradientsMatchCpu) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Index m = 19, k = 27, n = 11;
  for (const Transpose t : kModes) {
    const Operands o = operands(m, k, n, t, 40);
    const test::Pair c = test::random_pair(m, n, 43);
    const test::Pair u = test::random_pair(1, m, 44);
    const test::Pair v = test::random_pair(n, 1, 45);
    const std::vector<Tensor> cpu = gradients(Device::Cpu, t, o, c, u, v);
    const std::vector<Tensor> gpu = gradients(Device::Cuda, t, o, c, u, v);
    const char* names[] = {"dA", "dB", "dC"};
    for (std::size_t i = 0; i < cpu.size(); ++i)
      EXPECT_TRUE(support::all_close(gpu[i], cpu[i], kGemmTol, kGemmTol))
          << names[i] << ", mode " << static_cast<int>(t);
  }
}

}  // namespace
}  // namespace moegnn
