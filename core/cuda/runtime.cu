// SPDX-License-Identifier: Apache-2.0
// Minimal CUDA runtime: allocation and copies with checked calls. The caching allocator, streams and
// library handles are the CUDA backend's work (they will replace the plain cudaMalloc here).
#include <cuda_runtime.h>

#include <cstdio>
#include <string>

#include "core/cuda/runtime.h"
#include "core/error.h"

namespace moegnn::cuda {
namespace {
void check(cudaError_t status, const char* call) {
  if (status != cudaSuccess)
    throw CudaError(std::string(call) + ": " + cudaGetErrorString(status));
}
}  // namespace

int device_count() noexcept {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky "no device" error
    return 0;
  }
  return count;
}

void* allocate(std::size_t bytes) {
  void* ptr = nullptr;
  check(cudaMalloc(&ptr, bytes == 0 ? 1 : bytes), "cudaMalloc");
  return ptr;
}

void deallocate(void* ptr) noexcept {
  if (ptr != nullptr && cudaFree(ptr) != cudaSuccess)
    std::fprintf(stderr, "moegnn: cudaFree failed\n");
}

void copy(void* dst, const void* src, std::size_t bytes, CopyKind kind) {
  const cudaMemcpyKind k = kind == CopyKind::HostToDevice   ? cudaMemcpyHostToDevice
                           : kind == CopyKind::DeviceToHost ? cudaMemcpyDeviceToHost
                                                            : cudaMemcpyDeviceToDevice;
  check(cudaMemcpy(dst, src, bytes, k), "cudaMemcpy");
}

}  // namespace moegnn::cuda
