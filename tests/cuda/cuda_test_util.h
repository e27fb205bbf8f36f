// SPDX-License-Identifier: Apache-2.0
// Shared pieces of the CUDA suite: the skip for machines without a device (CI has the toolkit and
// no GPU), seeded operands placed on both devices, and one taped function run on either device.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "core/cuda/runtime.h"
#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"
#include "core/tape.h"
#include "core/tensor.h"
#include "tests/support/gradcheck.h"

// Skips the calling test, with a message, when no CUDA device is visible.
#define MOEGNN_REQUIRE_CUDA_DEVICE()                                                               \
  do {                                                                                             \
    if (::moegnn::cuda::device_count() == 0)                                                       \
      GTEST_SKIP() << "no CUDA device visible; this parity test needs a GPU";                      \
  } while (false)

namespace moegnn::test {

// The same seeded values on the CPU and on the current CUDA device.
struct Pair {
  Tensor cpu;
  Tensor gpu;
};
inline Pair random_pair(Index rows, Index cols, std::uint64_t seed) {
  Tensor cpu = support::random_tensor(rows, cols, seed);
  Tensor gpu = cpu.to(Device::Cuda);
  return {cpu, gpu};
}

// A function of taped inputs, run on either device by value_and_grads.
using TapeFn = std::function<Var(Tape&, const std::vector<Var>&)>;

// f's output and d(Σ R ⊙ out)/d(input) for each input (CPU tensors, copied to `device` first), all
// from one tape on `device`, returned on the CPU: {value, grad of input 0, grad of input 1, ...}.
// R is a seeded random projection, so every output element carries its own gradient.
inline std::vector<Tensor> value_and_grads(Device device, const TapeFn& f,
                                           const std::vector<Tensor>& inputs,
                                           std::uint64_t seed = 99) {
  std::vector<Parameter> params;
  params.reserve(inputs.size());
  for (const Tensor& t : inputs) params.emplace_back(t.to(device).clone());
  Tape tape;
  std::vector<Var> vars;
  for (Parameter& p : params) vars.push_back(tape.param(p));
  const Var out = f(tape, vars);
  EXPECT_EQ(out.value().device(), device) << "the output is not where the inputs are";
  const Tensor r = support::random_tensor(out.rows(), out.cols(), seed).to(device);
  tape.backward(ops::sum(tape, ops::mul(tape, out, tape.constant(r))));
  std::vector<Tensor> result{out.value().to(Device::Cpu)};
  for (const Parameter& p : params) result.push_back(p.grad.to(Device::Cpu));
  return result;
}

}  // namespace moegnn::test
