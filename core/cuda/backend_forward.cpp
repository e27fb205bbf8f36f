// SPDX-License-Identifier: Apache-2.0
// core's CUDA entry points as the static library defines them in a CUDA build: each forwards into
// the table that libmoegnn_cuda.so exports, loading the library on first use
// (core/cuda_backend.h). The functions that must not throw answer as "no CUDA" while no backend
// is loaded (no device, nothing cached); the others throw Unsupported with the reason.
#include "core/cuda/backend_tables.h"
#include "core/cuda_backend.h"

namespace moegnn::cuda {
namespace {

const RuntimeTable& runtime() { return cuda_backend::table_of<RuntimeTable>(kRuntimeTable); }

}  // namespace

int device_count() noexcept {
  if (!cuda_backend::available()) return 0;
  try {
    return runtime().device_count();
  } catch (...) {  // a backend of another version: no usable device
    return 0;
  }
}
void copy(void* dst, const void* src, std::size_t bytes, CopyKind kind) {
  runtime().copy(dst, src, bytes, kind);
}
void synchronize() { runtime().synchronize(); }
void* allocate_pinned(std::size_t bytes) { return runtime().allocate_pinned(bytes); }
// Pinned memory and blocks exist only once the backend is loaded, so these reach a loaded one.
void free_pinned(void* ptr) noexcept {
  if (ptr != nullptr) runtime().free_pinned(ptr);
}
void set_allow_tf32(bool allow) noexcept {
  if (cuda_backend::available()) runtime().set_allow_tf32(allow);
}
bool allow_tf32() noexcept { return cuda_backend::available() && runtime().allow_tf32(); }

namespace allocator {
std::size_t round_size(std::size_t bytes) noexcept {
  return cuda_backend::available() ? runtime().round_size(bytes) : bytes;
}
Block acquire(std::size_t bytes) { return runtime().acquire(bytes); }
void release(const Block& block) noexcept { runtime().release(block); }
void empty_cache() noexcept {
  if (cuda_backend::available()) runtime().empty_cache();
}
AllocatorStats stats() noexcept {
  return cuda_backend::available() ? runtime().stats() : AllocatorStats{};
}
}  // namespace allocator

}  // namespace moegnn::cuda

namespace moegnn::ops::cuda {
namespace {

const CoreOpsTable& table() { return cuda_backend::table_of<CoreOpsTable>(kCoreOpsTable); }

}  // namespace

#define MOEGNN_CUDA_FUNCTION(ret, name, params, args) \
  ret name params { return table().name args; }
#include "core/ops/cuda/backend.inc"
#undef MOEGNN_CUDA_FUNCTION

}  // namespace moegnn::ops::cuda

namespace moegnn::optim::cuda {
namespace {

const OptimTable& table() { return cuda_backend::table_of<OptimTable>(kOptimTable); }

}  // namespace

#define MOEGNN_CUDA_FUNCTION(ret, name, params, args) \
  ret name params { return table().name args; }
#include "core/optim/cuda/backend.inc"
#undef MOEGNN_CUDA_FUNCTION

}  // namespace moegnn::optim::cuda
