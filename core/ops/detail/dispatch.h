// SPDX-License-Identifier: Apache-2.0
// Private helpers of the core/ops front-ends: the device switch every op goes through, and the
// checks that many ops share (same device, matching shapes). Messages name the public op, not the
// helper.
#pragma once

#include "core/error.h"
#include "core/tensor.h"

namespace moegnn::ops::detail {

// Runs cpu() for CPU data and returns its result. CUDA throws Unsupported("<op>: no CUDA kernel
// yet") until the kernels land (then this switch gains its `if constexpr (build::kWithCuda)`
// branch).
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
