// SPDX-License-Identifier: Apache-2.0
// Device queries, copies on the context stream, pinned host memory and the TF32 switch.
#include <atomic>

#include <cuda_runtime.h>

#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "core/cuda/runtime.h"

namespace moegnn::cuda {
namespace {
std::atomic<bool> g_allow_tf32{false};
}  // namespace

int device_count() noexcept {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky "no device" error
    return 0;
  }
  return count;
}

void copy(void* dst, const void* src, std::size_t bytes, CopyKind kind) {
  const cudaMemcpyKind k = kind == CopyKind::HostToDevice   ? cudaMemcpyHostToDevice
                           : kind == CopyKind::DeviceToHost ? cudaMemcpyDeviceToHost
                                                            : cudaMemcpyDeviceToDevice;
  const cudaStream_t stream = current_context().stream();
  MOEGNN_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, k, stream));
  // Host memory may be pageable and may be reused by the caller as soon as we return.
  if (kind != CopyKind::DeviceToDevice) MOEGNN_CUDA_CHECK(cudaStreamSynchronize(stream));
}

void synchronize() { MOEGNN_CUDA_CHECK(cudaStreamSynchronize(current_context().stream())); }

void* allocate_pinned(std::size_t bytes) {
  void* ptr = nullptr;
  MOEGNN_CUDA_CHECK(cudaHostAlloc(&ptr, bytes == 0 ? 1 : bytes, cudaHostAllocDefault));
  return ptr;
}

void free_pinned(void* ptr) noexcept {
  if (ptr != nullptr) MOEGNN_CUDA_CHECK_PRINT(cudaFreeHost(ptr));
}

void set_allow_tf32(bool allow) noexcept { g_allow_tf32.store(allow, std::memory_order_relaxed); }
bool allow_tf32() noexcept { return g_allow_tf32.load(std::memory_order_relaxed); }

}  // namespace moegnn::cuda
