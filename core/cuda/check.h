// SPDX-License-Identifier: Apache-2.0
// Checked calls into the CUDA runtime, cuBLAS and cuSPARSE (private to core; included only by .cu
// files, since it pulls in the CUDA headers). MOEGNN_CUDA_CHECK(call) throws CudaError naming the
// failing call, the status and its description, and where the call sits:
//   "cudaMalloc(&ptr, bytes): cudaErrorMemoryAllocation (out of memory) at
//   core/cuda/allocator.cu:61"
// The one macro takes a cudaError_t, cublasStatus_t or cusparseStatus_t (overloads below);
// MOEGNN_CUBLAS_CHECK and MOEGNN_CUSPARSE_CHECK are spelled-out aliases for readers. Destructors
// and other noexcept paths use MOEGNN_CUDA_CHECK_PRINT, which logs to stderr instead of throwing.
#pragma once

#include <cstdio>

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cusparse.h>

#include "core/error.h"

namespace moegnn::cuda::detail {

[[noreturn]] inline void throw_failed(const char* call, const char* name, const char* description,
                                      const char* file, int line) {
  throw CudaError(
      ::moegnn::detail::concat(call, ": ", name, " (", description, ") at ", file, ":", line));
}

inline void check(cudaError_t status, const char* call, const char* file, int line) {
  if (status == cudaSuccess) [[likely]]
    return;
  cudaGetLastError();  // clear a non-sticky error so that the next call starts clean
  throw_failed(call, cudaGetErrorName(status), cudaGetErrorString(status), file, line);
}

inline void check(cublasStatus_t status, const char* call, const char* file, int line) {
  if (status == CUBLAS_STATUS_SUCCESS) [[likely]]
    return;
  throw_failed(call, cublasGetStatusName(status), cublasGetStatusString(status), file, line);
}

inline void check(cusparseStatus_t status, const char* call, const char* file, int line) {
  if (status == CUSPARSE_STATUS_SUCCESS) [[likely]]
    return;
  throw_failed(call, cusparseGetErrorName(status), cusparseGetErrorString(status), file, line);
}

inline void print_failed(cudaError_t status, const char* call, const char* file,
                         int line) noexcept {
  if (status == cudaSuccess) return;
  cudaGetLastError();
  std::fprintf(stderr, "moegnn: %s: %s (%s) at %s:%d\n", call, cudaGetErrorName(status),
               cudaGetErrorString(status), file, line);
}

}  // namespace moegnn::cuda::detail

#define MOEGNN_CUDA_CHECK(call) ::moegnn::cuda::detail::check((call), #call, __FILE__, __LINE__)
#define MOEGNN_CUBLAS_CHECK(call) MOEGNN_CUDA_CHECK(call)
#define MOEGNN_CUSPARSE_CHECK(call) MOEGNN_CUDA_CHECK(call)
#define MOEGNN_CUDA_CHECK_PRINT(call)                                                              \
  ::moegnn::cuda::detail::print_failed((call), #call, __FILE__, __LINE__)
