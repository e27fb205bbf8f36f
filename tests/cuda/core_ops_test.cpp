// SPDX-License-Identifier: Apache-2.0
// Every dense core op on CUDA against the same op on the CPU, forward and backward through the
// Tape, on seeded inputs. Each case runs f on both devices, reduces the output to a scalar with a
// fixed random projection L = Σ R ⊙ f(x) (mul and sum, themselves exact on both devices), and
// compares the values and the gradients of every input. Tolerances (atol, rtol), per op:
// - exact (0, 0): arithmetic forwards (add/sub/mul/div with every broadcast, scalar ops, neg,
//   relu, leaky_relu, clamp, square), max/argmax (values, indices, gradients), the shape ops
//   (copies, gathers and the bucketed scatter-add sum in the CPU's order) and dropout (same mask);
// - (1e-6, 1e-5): transcendental activations (CUDA's expf/logf/tanhf/erff vs Eigen's vectorised
//   versions differ by a few ulps) and every backward that multiplies and adds (the host compiler
//   may contract a·b + c into an FMA where nvcc does not, or the other way round);
// - (1e-5, 1e-5): reductions, softmax, losses and norms (double sums in another fixed order, or
//   float column sums in the same order with ulp-level differences in their terms).
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/loss.h"
#include "core/ops/nn.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "core/rng.h"
#include "tests/cuda/cuda_test_util.h"

namespace moegnn {
namespace {

struct Tol {
  float atol;
  float rtol;
};
constexpr Tol kExact{0.0f, 0.0f};
constexpr Tol kUlps{1e-6f, 1e-5f};
constexpr Tol kSums{1e-5f, 1e-5f};

using Fn = test::TapeFn;

// Runs f on both devices and compares the outputs (tolerance `value`) and gradients (`grad`).
void expect_parity(const std::string& what, const Fn& f, const std::vector<Tensor>& inputs,
                   Tol value, Tol grad, std::uint64_t seed = 7) {
  const std::vector<Tensor> cpu = test::value_and_grads(Device::Cpu, f, inputs, seed);
  const std::vector<Tensor> gpu = test::value_and_grads(Device::Cuda, f, inputs, seed);
  EXPECT_TRUE(support::all_close(gpu[0], cpu[0], value.atol, value.rtol)) << what;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    EXPECT_TRUE(support::all_close(gpu[i + 1], cpu[i + 1], grad.atol, grad.rtol))
        << what << ": gradient of input " << i;
}

Tensor rand(Index rows, Index cols, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
  return support::random_tensor(rows, cols, seed, lo, hi);
}

// Values on a coarse grid (multiples of 0.25 in [-1, 1]), so maxima tie often.
Tensor with_ties(Index rows, Index cols, std::uint64_t seed) {
  Tensor t = rand(rows, cols, seed);
  for (Index e = 0; e < t.size(); ++e) t.data()[e] = std::round(t.data()[e] * 4.0f) / 4.0f;
  return t;
}

IndexArray32 on_cuda(const std::vector<std::int32_t>& values) {
  return IndexArray32(values).to(Device::Cuda);
}

TEST(CudaCoreOps, BinaryOpsWithEveryBroadcastMatchCpu) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Index m = 67, n = 45;
  const Tensor a = rand(m, n, 1);
  struct Shape {
    Index rows, cols;
  };
  const std::vector<Shape> shapes = {{m, n}, {1, n}, {m, 1}, {1, 1}};
  const std::vector<std::pair<std::string, Var (*)(Tape&, Var, Var)>> ops_list = {
      {"add", ops::add}, {"sub", ops::sub}, {"mul", ops::mul}, {"div", ops::div}};
  for (const auto& [name, op] : ops_list) {
    for (const Shape& s : shapes) {
      const Tensor b = rand(s.rows, s.cols, 2, 0.5f, 1.5f);  // away from 0 for div
      expect_parity(
          name + " with b " + b.shape_string(),
          [op = op](Tape& t, const std::vector<Var>& v) { return op(t, v[0], v[1]); }, {a, b},
          kExact, kUlps);
    }
  }
  expect_parity(
      "add_bias", [](Tape& t, const std::vector<Var>& v) { return ops::add_bias(t, v[0], v[1]); },
      {a, rand(1, n, 3)}, kExact, kUlps);
}

TEST(CudaCoreOps, UnaryOpsAndActivationsMatchCpu) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  struct Case {
    std::string name;
    Fn f;
    float lo, hi;  // input range
    Tol value;
  };
  const auto one = [](Var (*op)(Tape&, Var)) {
    return Fn([op](Tape& t, const std::vector<Var>& v) { return op(t, v[0]); });
  };
  const std::vector<Case> cases = {
      {"neg", one(ops::neg), -2.0f, 2.0f, kExact},
      {"add_scalar",
       [](Tape& t, const std::vector<Var>& v) { return ops::add_scalar(t, v[0], 0.3f); }, -2.0f,
       2.0f, kExact},
      {"mul_scalar",
       [](Tape& t, const std::vector<Var>& v) { return ops::mul_scalar(t, v[0], -1.7f); }, -2.0f,
       2.0f, kExact},
      {"exp", one(ops::exp), -3.0f, 3.0f, kUlps},
      {"log", one(ops::log), 0.1f, 4.0f, kUlps},
      {"pow 2", [](Tape& t, const std::vector<Var>& v) { return ops::pow(t, v[0], 2.0f); }, -2.0f,
       2.0f, kExact},
      {"pow 1.5", [](Tape& t, const std::vector<Var>& v) { return ops::pow(t, v[0], 1.5f); }, 0.1f,
       3.0f, kUlps},
      {"sqrt", one(ops::sqrt), 0.1f, 4.0f, kExact},  // correctly rounded on both
      {"clamp", [](Tape& t, const std::vector<Var>& v) { return ops::clamp(t, v[0], -0.3f, 0.4f); },
       -1.0f, 1.0f, kExact},
      {"relu", one(ops::relu), -1.0f, 1.0f, kExact},
      {"leaky_relu",
       [](Tape& t, const std::vector<Var>& v) { return ops::leaky_relu(t, v[0], 0.1f); }, -1.0f,
       1.0f, kExact},
      {"elu", [](Tape& t, const std::vector<Var>& v) { return ops::elu(t, v[0], 0.7f); }, -3.0f,
       3.0f, kUlps},
      {"gelu", one(ops::gelu), -3.0f, 3.0f, kUlps},
      {"sigmoid", one(ops::sigmoid), -6.0f, 6.0f, kUlps},
      {"tanh", one(ops::tanh), -3.0f, 3.0f, kUlps},
  };
  for (std::size_t c = 0; c < cases.size(); ++c)
    expect_parity(cases[c].name, cases[c].f, {rand(53, 31, 10 + c, cases[c].lo, cases[c].hi)},
                  cases[c].value, kUlps);
}

TEST(CudaCoreOps, ReductionsMatchCpuOverEveryAxis) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  // 1100 rows cross several of the CPU's column_reduce blocks; 5000 × 9 > one 4096 chunk of
  // the device's whole-tensor sum.
  const std::vector<Tensor> inputs = {rand(1100, 37, 20), rand(5000, 9, 21), rand(3, 1, 22)};
  for (const Tensor& x : inputs) {
    for (const ops::Over over : {ops::Over::All, ops::Over::Rows, ops::Over::Cols}) {
      const std::string where =
          x.shape_string() + " over " + std::to_string(static_cast<int>(over));
      expect_parity(
          "sum " + where,
          [over](Tape& t, const std::vector<Var>& v) { return ops::sum(t, v[0], over); }, {x},
          kSums, kExact);
      expect_parity(
          "mean " + where,
          [over](Tape& t, const std::vector<Var>& v) { return ops::mean(t, v[0], over); }, {x},
          kSums, kExact);
    }
  }
}

TEST(CudaCoreOps, MaxKeepsTheFirstMaximumAndPropagatesNaN) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  Tensor ties = with_ties(900, 23, 30);
  Tensor nan = rand(40, 17, 31);
  nan.data()[5 * 17 + 3] = std::nanf("");
  nan.data()[20 * 17 + 9] = std::nanf("");
  for (const Tensor& x : {ties, nan, with_ties(9000, 2, 32)}) {
    for (const ops::Over over : {ops::Over::All, ops::Over::Rows, ops::Over::Cols})
      expect_parity(
          "max " + x.shape_string() + " over " + std::to_string(static_cast<int>(over)),
          [over](Tape& t, const std::vector<Var>& v) { return ops::max(t, v[0], over); }, {x},
          kExact, kExact);
    const IndexArray32 cpu = ops::argmax_rows(x);
    const IndexArray32 gpu = ops::argmax_rows(x.to(Device::Cuda));
    EXPECT_EQ(gpu.device(), Device::Cuda);
    EXPECT_EQ(gpu.to_vector(), cpu.to_vector()) << "argmax_rows " << x.shape_string();
  }
}

TEST(CudaCoreOps, SoftmaxAndLogSoftmaxMatchCpu) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Tensor x = rand(301, 41, 40, -8.0f, 8.0f);
  expect_parity(
      "softmax", [](Tape& t, const std::vector<Var>& v) { return ops::softmax(t, v[0]); }, {x},
      kSums, kSums);
  expect_parity(
      "log_softmax", [](Tape& t, const std::vector<Var>& v) { return ops::log_softmax(t, v[0]); },
      {x}, kSums, kSums);
  EXPECT_TRUE(support::all_close(ops::softmax(x.to(Device::Cuda)), ops::softmax(x), 1e-5f, 1e-5f));
}

TEST(CudaCoreOps, LossesMatchCpuOnRowSubsets) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Index m = 97, c = 7;
  const Tensor z = rand(m, c, 50, -4.0f, 4.0f);
  std::vector<std::int32_t> labels(static_cast<std::size_t>(m));
  Rng rng(51);
  for (auto& l : labels) l = static_cast<std::int32_t>(rng.below(c));
  labels[3] = -1;  // an unlabelled row, never selected
  const std::vector<std::int32_t> rows = {0, 5, 5, 17, 96, 40, 41, 2};  // a repeat counts twice
  const IndexArray32 labels_cpu(labels);
  const IndexArray32 rows_cpu(rows);
  const IndexArray32 labels_gpu = on_cuda(labels);
  const IndexArray32 rows_gpu = on_cuda(rows);
  const auto labelled = [&](auto op) {
    return Fn([&, op](Tape& t, const std::vector<Var>& v) {
      const bool gpu = v[0].value().device() == Device::Cuda;
      return op(t, v[0], gpu ? labels_gpu : labels_cpu, gpu ? rows_gpu : rows_cpu);
    });
  };
  expect_parity("cross_entropy", labelled(ops::cross_entropy), {z}, kSums, kSums);
  expect_parity("nll_loss", labelled(ops::nll_loss), {ops::log_softmax(z)}, kSums, kSums);
  // All rows (empty row list, left on the host) with every label valid.
  labels[3] = 1;
  const IndexArray32 all_cpu(labels);
  const IndexArray32 all_gpu = on_cuda(labels);
  expect_parity(
      "cross_entropy over all rows",
      [&](Tape& t, const std::vector<Var>& v) {
        return ops::cross_entropy(t, v[0],
                                  v[0].value().device() == Device::Cuda ? all_gpu : all_cpu);
      },
      {z}, kSums, kSums);

  const Tensor targets = rand(m, c, 52, 0.0f, 1.0f);
  const auto with_target = [&](auto op) {
    return Fn([&, op](Tape& t, const std::vector<Var>& v) {
      return op(t, v[0], targets.to(v[0].value().device()));
    });
  };
  expect_parity("bce_with_logits", with_target(ops::bce_with_logits), {z}, kSums, kSums);
  expect_parity("mse", with_target(ops::mse), {z}, kSums, kSums);
  expect_parity(
      "l2_penalty",
      [](Tape& t, const std::vector<Var>& v) {
        return ops::l2_penalty(t, {v[0], v[1]}, 0.05f);
      },
      {z, rand(5, 3, 53)}, kSums, kSums);
}

TEST(CudaCoreOps, LossChecksStillFireOnTheDevice) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  Tensor z = rand(6, 3, 60);
  z.data()[4 * 3 + 1] = std::nanf("");
  const IndexArray32 labels = on_cuda({0, 1, 2, 0, 1, 2});
  Tape tape;
  const Var logits = tape.constant(z.to(Device::Cuda));
  EXPECT_THROW(ops::cross_entropy(tape, logits, labels), InvalidArgument);        // NaN loss
  EXPECT_NO_THROW(ops::cross_entropy(tape, logits, labels, on_cuda({0, 1, 5})));  // row 4 unused
  EXPECT_THROW(ops::cross_entropy(tape, logits, on_cuda({0, 1, 3, 0, 1, 2})), InvalidArgument);
  EXPECT_THROW(ops::cross_entropy(tape, logits, labels, on_cuda({6})), InvalidArgument);
  Tensor targets = Tensor::full(6, 3, 0.5f);
  targets.data()[7] = 1.5f;
  const Var finite = tape.constant(rand(6, 3, 61).to(Device::Cuda));
  EXPECT_THROW(ops::bce_with_logits(tape, finite, targets.to(Device::Cuda)), InvalidArgument);
  EXPECT_THROW(ops::mse(tape, logits, Tensor::zeros(6, 3, Device::Cuda)), InvalidArgument);
}

TEST(CudaCoreOps, DropoutDrawsTheCpuMask) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Tensor x = rand(257, 65, 70);
  for (const float p : {0.1f, 0.5f, 0.9f}) {
    const auto f = [p](Tape& t, const std::vector<Var>& v) {
      Rng rng(1234);
      return ops::dropout(t, v[0], p, rng, true);
    };
    expect_parity("dropout p = " + std::to_string(p), f, {x}, kExact, kExact);
    // The mask is not trivial: some elements are dropped and some kept.
    Tape tape;
    Rng rng(1234);
    const Tensor y =
        ops::dropout(tape, tape.constant(x.to(Device::Cuda)), p, rng, true).value().to(Device::Cpu);
    Index dropped = 0;
    for (Index e = 0; e < y.size(); ++e) dropped += y.data()[e] == 0.0f ? 1 : 0;
    EXPECT_GT(dropped, 0);
    EXPECT_LT(dropped, y.size());
  }
}

TEST(CudaCoreOps, BatchNormTrainingEvaluationAndRunningStatsMatchCpu) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Index m = 1200, n = 19;  // more rows than one CPU column_reduce block
  const Tensor x = rand(m, n, 80, -2.0f, 3.0f);
  const Tensor gamma = rand(1, n, 81, 0.5f, 1.5f);
  const Tensor beta = rand(1, n, 82);
  for (const bool training : {true, false}) {
    ops::BatchNormStats cpu_stats{rand(1, n, 83), rand(1, n, 84, 0.5f, 2.0f), 3};
    ops::BatchNormStats gpu_stats{cpu_stats.running_mean.to(Device::Cuda),
                                  cpu_stats.running_var.to(Device::Cuda), 3};
    const auto f = [&](Tape& t, const std::vector<Var>& v) {
      ops::BatchNormStats& stats = v[0].value().device() == Device::Cuda ? gpu_stats : cpu_stats;
      return ops::batch_norm(t, v[0], v[1], v[2], stats, training, 0.2f, 1e-4f);
    };
    expect_parity(training ? "batch_norm training" : "batch_norm eval", f, {x, gamma, beta}, kSums,
                  kSums);
    EXPECT_EQ(gpu_stats.num_batches, cpu_stats.num_batches);
    EXPECT_EQ(gpu_stats.running_mean.device(), Device::Cuda);
    EXPECT_TRUE(support::all_close(gpu_stats.running_mean, cpu_stats.running_mean, 1e-5f, 1e-5f));
    EXPECT_TRUE(support::all_close(gpu_stats.running_var, cpu_stats.running_var, 1e-5f, 1e-5f));
  }
}

TEST(CudaCoreOps, LayerNormMatchesCpu) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Index n = 45;
  expect_parity(
      "layer_norm",
      [](Tape& t, const std::vector<Var>& v) { return ops::layer_norm(t, v[0], v[1], v[2]); },
      {rand(300, n, 90, -2.0f, 2.0f), rand(1, n, 91, 0.5f, 1.5f), rand(1, n, 92)}, kSums, kSums);
}

TEST(CudaCoreOps, ShapeOpsMatchCpuExactly) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Tensor a = rand(13, 7, 100);
  const Tensor b = rand(5, 7, 101);
  const Tensor c = rand(13, 4, 102);
  expect_parity(
      "concat_rows",
      [](Tape& t, const std::vector<Var>& v) {
        return ops::concat_rows(t, {v[0], v[1], v[0]});
      },
      {a, b}, kExact, kExact);
  expect_parity(
      "concat_cols",
      [](Tape& t, const std::vector<Var>& v) {
        return ops::concat_cols(t, {v[0], v[1]});
      },
      {a, c}, kExact, kExact);
  expect_parity(
      "slice_rows",
      [](Tape& t, const std::vector<Var>& v) { return ops::slice_rows(t, v[0], 3, 11); }, {a},
      kExact, kExact);
  expect_parity(
      "slice_cols",
      [](Tape& t, const std::vector<Var>& v) { return ops::slice_cols(t, v[0], 2, 6); }, {a},
      kExact, kExact);
  // Repeated and unsorted indices: gather's backward and scatter-add sum several rows into one.
  const std::vector<std::int32_t> index = {4, 0, 12, 4, 4, 7, 0, 11, 3, 4, 12, 1};
  const IndexArray32 index_cpu(index);
  const IndexArray32 index_gpu = on_cuda(index);
  const auto pick = [&](const std::vector<Var>& v) {
    return v[0].value().device() == Device::Cuda ? index_gpu : index_cpu;
  };
  expect_parity(
      "gather_rows",
      [&](Tape& t, const std::vector<Var>& v) { return ops::gather_rows(t, v[0], pick(v)); }, {a},
      kExact, kExact);
  expect_parity(
      "scatter_add_rows",
      [&](Tape& t, const std::vector<Var>& v) {
        return ops::scatter_add_rows(t, v[0], pick(v), 15);
      },
      {rand(12, 6, 103)}, kExact, kExact);
  const std::vector<std::int32_t> sorted = {0, 0, 1, 3, 3, 3, 6};  // the CPU's identity-order path
  expect_parity(
      "scatter_add_rows sorted",
      [&](Tape& t, const std::vector<Var>& v) {
        const bool gpu = v[0].value().device() == Device::Cuda;
        return ops::scatter_add_rows(t, v[0], gpu ? on_cuda(sorted) : IndexArray32(sorted), 7);
      },
      {rand(7, 5, 104)}, kExact, kExact);
  EXPECT_THROW(ops::gather_rows(a.to(Device::Cuda), on_cuda({0, 13})), InvalidArgument);
  EXPECT_THROW(ops::scatter_add_rows(b.to(Device::Cuda), on_cuda({0, 1, 2, 3, 9}), 9),
               InvalidArgument);
}

TEST(CudaCoreOps, EmptyInputsBehaveAsOnTheCpu) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const Tensor empty = Tensor::empty(0, 5, Device::Cuda);
  EXPECT_TRUE(support::all_close(ops::sum(empty), Tensor::zeros(1, 1), 0.0f, 0.0f));
  EXPECT_TRUE(
      support::all_close(ops::sum(empty, ops::Over::Rows), Tensor::zeros(1, 5), 0.0f, 0.0f));
  Tape tape;
  EXPECT_THROW(ops::max(tape, tape.constant(empty)), InvalidArgument);
  EXPECT_EQ(ops::gather_rows(empty, IndexArray32(0, Device::Cuda)).rows(), 0);
}

}  // namespace
}  // namespace moegnn
