// SPDX-License-Identifier: Apache-2.0
// The per-device CUDA context (private to core; includes the CUDA headers, so only .cu files
// include it). Created on first use for each device and kept for the life of the process (never
// destroyed: handles torn down after the driver has unloaded at exit crash): one stream that every
// op and copy of the device runs on, a cuBLAS handle and a cuSPARSE handle bound to that stream
// (each created on first use), and a growable workspace from the caching allocator. No managed
// memory. Thread-safe to obtain; the handles themselves are meant for one thread at a time, like
// the rest of the library's ops.
#pragma once

#include <cstddef>
#include <mutex>

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cusparse.h>

#include "core/cuda/allocator.h"

namespace moegnn::cuda {

class Context {
 public:
  explicit Context(int device);
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  int device() const { return device_; }
  cudaStream_t stream() const { return stream_; }
  // cuBLAS handle on stream(), with the math mode of set_allow_tf32() applied at each call.
  cublasHandle_t cublas();
  cusparseHandle_t cusparse();
  // At least `bytes` of scratch device memory, valid until the next workspace() call on this
  // context; grows (never shrinks) through the allocator. Work that used the old buffer stays
  // ordered before any reuse because it was queued on stream().
  void* workspace(std::size_t bytes);

 private:
  int device_;
  cudaStream_t stream_ = nullptr;
  std::once_flag cublas_once_;
  cublasHandle_t cublas_ = nullptr;
  std::once_flag cusparse_once_;
  cusparseHandle_t cusparse_ = nullptr;
  std::mutex workspace_mutex_;
  Block workspace_;
};

// The context of the calling thread's current device, created on first use. Throws CudaError when
// there is no device or the stream cannot be created.
Context& current_context();

// Threads and blocks for an elementwise kernel over `count` items (grid-stride loops cover the
// rest); count > 0.
struct LaunchShape {
  unsigned blocks;
  unsigned threads;
};
LaunchShape elementwise_launch(long long count) noexcept;

}  // namespace moegnn::cuda
