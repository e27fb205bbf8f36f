// SPDX-License-Identifier: Apache-2.0
// CUDA runtime entry points as plain C++ declarations (no CUDA headers). Defined in core/cuda/*.cu,
// which are compiled only with MOEGNN_WITH_CUDA; callers reach them inside
// `if constexpr (build::kWithCuda)`. Device memory comes from the caching allocator
// (core/cuda/allocator.h, through Storage); library handles and the stream live in the per-device
// context (core/cuda/context.h). "The device" is always the calling thread's current CUDA device.
#pragma once

#include <cstddef>

namespace moegnn::cuda {

// Number of visible devices; 0 when there is none or no driver (never throws).
int device_count() noexcept;

enum class CopyKind { HostToDevice, DeviceToHost, DeviceToDevice };
// Copies `bytes` on the device's context stream. Copies that touch host memory wait for the
// stream, so they are synchronous for the caller (host memory may be pageable or pinned);
// device-to-device copies are only ordered on the stream. Throws CudaError naming the failed call.
void copy(void* dst, const void* src, std::size_t bytes, CopyKind kind);

// Waits for all work queued on the device's context stream; throws CudaError on a kernel failure.
void synchronize();

// Page-locked host memory (cudaHostAlloc) for transfers that the DMA engine reads directly; the
// caller frees it with free_pinned. Not cached. Throws CudaError when the allocation fails.
void* allocate_pinned(std::size_t bytes);
void free_pinned(void* ptr) noexcept;

// Whether cuBLAS may use TF32 tensor cores for float32 GEMM (10-bit mantissa products). Off by
// default, so CUDA results agree with the CPU to float32 rounding; process-wide.
void set_allow_tf32(bool allow) noexcept;
bool allow_tf32() noexcept;

}  // namespace moegnn::cuda
