// SPDX-License-Identifier: Apache-2.0
// Fused CUDA optimizer steps (private to core/optim; plain C++ declarations, defined in update.cu,
// which is compiled only with MOEGNN_WITH_CUDA): one elementwise kernel per parameter updates the
// value and its state buffers in one pass, with the CPU loops' float expressions (sgd.cpp,
// detail/adam_update.cpp). Each element reads and writes only itself, so the result does not depend
// on the launch shape. All tensors are on the current device and of one shape (checked by the
// caller).
#pragma once

#include "core/tensor.h"

namespace moegnn::optim::cuda {

// Sgd's equations (1)-(4) for one parameter; buffer is null without momentum.
struct SgdScalars {
  float lr;
  float weight_decay;
  float momentum;
  float keep;  // 1 - dampening
  bool first;  // the first step: the buffer starts at g
  bool nesterov;
};
void sgd_update(Tensor& param, const Tensor& grad, Tensor* buffer, const SgdScalars& s);

// detail::AdamStep's scalars (see there); max_exp_avg_sq is null without AMSGrad.
struct AdamScalars {
  float lerp_weight;
  float beta2;
  float one_minus_beta2;
  float eps;
  float step_size;
  float bias_correction2_sqrt;
  float coupled_decay;
  float decoupled_factor;
};
void adam_update(Tensor& param, const Tensor& grad, Tensor& exp_avg, Tensor& exp_avg_sq,
                 Tensor* max_exp_avg_sq, const AdamScalars& s);

}  // namespace moegnn::optim::cuda
