// SPDX-License-Identifier: Apache-2.0
// Private helpers of the core/ops front-ends: the device switch every op goes through, and the
// checks that many ops share (same device, matching shapes). Messages name the public op, not the
// helper.
#pragma once

#include <type_traits>

#include "core/config.h"
#include "core/error.h"
#include "core/tensor.h"

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

// Runs cuda() in a CUDA build; throws Unsupported naming `op` in a CPU-only build. The call sits in
// an `if constexpr` branch of this template, so a CPU-only build type-checks cuda() but needs no
// definition of the cuda:: kernels it calls.
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

// Throws InvalidArgument "<op>: <b_name> is on <device> vs <a_name> on <device>" on a mismatch.
inline void check_same_device(const char* op, const Tensor& a, const char* a_name, const Tensor& b,
                              const char* b_name) {
  MOEGNN_CHECK_AS(InvalidArgument, op, a.device() == b.device(), b_name, " is on ",
                  to_string(b.device()), " vs ", a_name, " on ", to_string(a.device()));
}

// Throws InvalidArgument when b's shape differs from a's.
inline void check_same_shape(const char* op, const Tensor& a, const char* a_name, const Tensor& b,
                             const char* b_name) {
  MOEGNN_CHECK_AS(InvalidArgument, op, a.same_shape(b), b_name, " has shape ", b.shape_string(),
                  " vs ", a_name, " ", a.shape_string());
}

// Throws InvalidArgument unless t is 1 × cols (per-column parameters: bias, gamma, beta).
inline void check_row_vector(const char* op, const Tensor& t, const char* name, Index cols) {
  MOEGNN_CHECK_AS(InvalidArgument, op, t.rows() == 1 && t.cols() == cols, name, " has shape ",
                  t.shape_string(), " vs 1 × ", cols);
}

}  // namespace moegnn::ops::detail
