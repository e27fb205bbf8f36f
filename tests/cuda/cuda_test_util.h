// SPDX-License-Identifier: Apache-2.0
// Shared pieces of the CUDA suite: the skip for machines without a device (CI has the toolkit and
// no GPU), and seeded operands placed on both devices.
#pragma once

#include <gtest/gtest.h>

#include "core/cuda/runtime.h"
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

}  // namespace moegnn::test
