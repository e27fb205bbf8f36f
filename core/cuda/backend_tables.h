// SPDX-License-Identifier: Apache-2.0
// The tables of function pointers that libmoegnn_cuda.so exports for core (core/cuda_backend.h):
// the runtime and allocator (written out, since several are noexcept and need an answer when no
// backend is loaded), core's ops and the optimizer steps (from their backend.inc lists). Plain
// C++: included by the forwarders in the static library and by the exports in the backend.
#pragma once

#include <cstddef>

#include "core/cuda/allocator.h"
#include "core/cuda/runtime.h"
#include "core/ops/cuda/elementwise.h"
#include "core/ops/cuda/linalg.h"
#include "core/ops/cuda/loss.h"
#include "core/ops/cuda/nn.h"
#include "core/ops/cuda/reduce.h"
#include "core/ops/cuda/shape.h"
#include "core/optim/cuda/update.h"

namespace moegnn::cuda {

struct RuntimeTable {
  int (*device_count)() noexcept;
  void (*copy)(void* dst, const void* src, std::size_t bytes, CopyKind kind);
  void (*synchronize)();
  void* (*allocate_pinned)(std::size_t bytes);
  void (*free_pinned)(void* ptr) noexcept;
  void (*set_allow_tf32)(bool allow) noexcept;
  bool (*allow_tf32)() noexcept;
  std::size_t (*round_size)(std::size_t bytes) noexcept;
  Block (*acquire)(std::size_t bytes);
  void (*release)(const Block& block) noexcept;
  void (*empty_cache)() noexcept;
  AllocatorStats (*stats)() noexcept;
};
inline constexpr const char* kRuntimeTable = "moegnn_cuda_runtime_table";

}  // namespace moegnn::cuda

namespace moegnn::ops::cuda {

struct CoreOpsTable {
#define MOEGNN_CUDA_FUNCTION(ret, name, params, args) ret(*name) params;
#include "core/ops/cuda/backend.inc"
#undef MOEGNN_CUDA_FUNCTION
};
inline constexpr const char* kCoreOpsTable = "moegnn_cuda_core_ops_table";

}  // namespace moegnn::ops::cuda

namespace moegnn::optim::cuda {

struct OptimTable {
#define MOEGNN_CUDA_FUNCTION(ret, name, params, args) ret(*name) params;
#include "core/optim/cuda/backend.inc"
#undef MOEGNN_CUDA_FUNCTION
};
inline constexpr const char* kOptimTable = "moegnn_cuda_optim_table";

}  // namespace moegnn::optim::cuda
