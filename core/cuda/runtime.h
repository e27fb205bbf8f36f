// SPDX-License-Identifier: Apache-2.0
// CUDA runtime entry points as plain C++ declarations (no CUDA headers). Defined in runtime.cu, which
// is compiled only with MOEGNN_WITH_CUDA; callers reach them inside `if constexpr (build::kWithCuda)`.
#pragma once

#include <cstddef>

namespace moegnn::cuda {

int device_count() noexcept;
void* allocate(std::size_t bytes);
void deallocate(void* ptr) noexcept;
enum class CopyKind { HostToDevice, DeviceToHost, DeviceToDevice };
void copy(void* dst, const void* src, std::size_t bytes, CopyKind kind);

}  // namespace moegnn::cuda
