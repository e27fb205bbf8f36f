// SPDX-License-Identifier: Apache-2.0
// The device switch of the message-passing op front ends (private to layers/ops), the counterpart
// of core's detail::on_device (private to core): cpu() for CPU data, cuda() for CUDA data in a CUDA
// build. cuda() sits in a discarded `if constexpr` branch in CPU-only builds, which therefore
// type-check the cuda:: kernel declarations but need no definitions of them.
#pragma once

#include "core/config.h"
#include "core/error.h"
#include "core/tensor.h"

namespace moegnn::ops::detail {

template <typename CpuFn, typename CudaFn>
auto on_device(const char* op, Device device, CpuFn&& cpu, CudaFn&& cuda) -> decltype(cpu()) {
  if (device == Device::Cpu) return cpu();
  if constexpr (build::kWithCuda) {
    return cuda();
  } else {
    MOEGNN_FAIL(Unsupported, op,
                "CUDA tensors in a build with MOEGNN_WITH_CUDA=OFF; rebuild with "
                "-DMOEGNN_WITH_CUDA=ON or move the tensors to Device::Cpu");
  }
}

}  // namespace moegnn::ops::detail
