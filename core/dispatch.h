// SPDX-License-Identifier: Apache-2.0
// The device switch of every op front end, in core and in the modules above it (layers/ops, and
// the ops later modules add): cpu() for CPU data, cuda() for CUDA data in a CUDA build. cuda() sits
// in a discarded `if constexpr` branch in CPU-only builds, which therefore type-check the cuda::
// kernel declarations but need no definitions of them. Public so that every module uses this one
// switch; an op's own front end is the only intended caller.
#pragma once

#include <type_traits>

#include "core/config.h"
#include "core/error.h"
#include "core/types.h"

namespace moegnn::ops::detail {

// Runs cpu() for CPU data and returns its result. CUDA throws Unsupported("<op>: no CUDA kernel
// yet") for ops whose kernels have not landed.
template <typename CpuFn>
decltype(auto) on_device(const char* op, Device device, CpuFn&& cpu) {
  switch (device) {
  case Device::Cpu:
    return cpu();
  case Device::Cuda:
    break;
  }
  MOEGNN_FAIL(Unsupported, op, "no CUDA kernel yet; move the tensors to Device::Cpu");
}

// Runs cuda() in a CUDA build; throws Unsupported naming `op` in a CPU-only build.
template <typename CudaFn>
std::invoke_result_t<CudaFn&> on_cuda(const char* op, CudaFn&& cuda) {
  if constexpr (build::kWithCuda) {
    return cuda();
  } else {
    MOEGNN_FAIL(Unsupported, op,
                "CUDA tensors in a build with MOEGNN_WITH_CUDA=OFF; rebuild with "
                "-DMOEGNN_WITH_CUDA=ON or move the tensors to Device::Cpu");
  }
}

// Runs cpu() or cuda() by device, for ops that have both kernels.
template <typename CpuFn, typename CudaFn>
std::invoke_result_t<CpuFn&> on_device(const char* op, Device device, CpuFn&& cpu, CudaFn&& cuda) {
  if (device == Device::Cpu) return cpu();
  return on_cuda(op, cuda);
}

}  // namespace moegnn::ops::detail
