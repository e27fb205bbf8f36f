// SPDX-License-Identifier: Apache-2.0
// Private helpers of the core/ops front-ends: the device switch (core/dispatch.h, shared with the
// modules above core) and the checks that many ops share (same device, matching shapes). Messages
// name the public op, not the helper.
#pragma once

#include "core/dispatch.h"
#include "core/error.h"
#include "core/tensor.h"

namespace moegnn::ops::detail {

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
