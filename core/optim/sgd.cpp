// SPDX-License-Identifier: Apache-2.0
// SGD's element loops. Each element's update reads and writes only that element, so chunking over
// threads cannot change a bit of the result.
#include "core/optim/sgd.h"

#include <cmath>

#include "core/config.h"
#include "core/error.h"
#include "core/optim/cuda/update.h"
#include "core/optim/detail/grain.h"
#include "core/parallel.h"

namespace moegnn::optim {
namespace {

std::vector<std::string> sgd_slots(const SgdOptions& options) {
  MOEGNN_CHECK_AS(InvalidArgument, "Sgd::Sgd",
                  std::isfinite(options.momentum) && options.momentum >= 0.0f, "momentum ",
                  options.momentum, " vs a finite value >= 0");
  MOEGNN_CHECK_AS(InvalidArgument, "Sgd::Sgd",
                  options.dampening >= 0.0f && options.dampening <= 1.0f, "dampening ",
                  options.dampening, " vs a value in [0, 1]");
  MOEGNN_CHECK_AS(InvalidArgument, "Sgd::Sgd",
                  !options.nesterov || (options.momentum > 0.0f && options.dampening == 0.0f),
                  "nesterov with momentum ", options.momentum, " and dampening ", options.dampening,
                  " vs momentum > 0 and dampening 0");
  if (options.momentum == 0.0f) return {};
  return {"momentum_buffer"};
}

// Equations (1)-(4) of sgd.h on elements [lo, hi). kMomentum / kNesterov are hoisted out of the
// loop so the body vectorises.
template <bool kMomentum, bool kNesterov>
void sgd_range(float* __restrict param, const float* __restrict grad, float* __restrict buffer,
               Index lo, Index hi, float lr, float weight_decay, float momentum, float keep,
               bool first) {
  for (Index i = lo; i < hi; ++i) {
    float g = grad[i] + weight_decay * param[i];  // (1)
    if constexpr (kMomentum) {
      const float b = first ? g : momentum * buffer[i] + keep * g;  // (2)
      buffer[i] = b;
      g = kNesterov ? g + momentum * b : b;  // (3)
    }
    param[i] = param[i] - lr * g;  // (4)
  }
}

}  // namespace

Sgd::Sgd(std::vector<ParamGroup> groups, const SgdOptions& options)
    : Optimizer(std::move(groups), sgd_slots(options), "Sgd"),
      options_(options) {}

void Sgd::step() {
  const bool first = steps() == 0;  // PyTorch starts the buffer at g_1, not at zero
  const float momentum = options_.momentum;
  const float keep = 1.0f - options_.dampening;
  run_step([&](const ParamGroup& group, Parameter& p, std::vector<Tensor>& slots) {
    if (p.value.device() == Device::Cuda) {  // one fused kernel per parameter
      if constexpr (build::kWithCuda) {
        cuda::sgd_update(p.value, p.grad, slots.empty() ? nullptr : &slots[0],
                         {group.lr, group.weight_decay, momentum, keep, first, options_.nesterov});
        return;
      } else {
        MOEGNN_FAIL(Unsupported, "Sgd::step",
                    "CUDA parameters in a build with MOEGNN_WITH_CUDA=OFF");
      }
    }
    float* param = p.value.data();
    const float* grad = p.grad.data();
    float* buffer = slots.empty() ? nullptr : slots[0].data();
    const float lr = group.lr;
    const float decay = group.weight_decay;
    parallel_for_range(
        0, p.value.size(),
        [&](Index lo, Index hi) {
          if (momentum == 0.0f)
            sgd_range<false, false>(param, grad, buffer, lo, hi, lr, decay, momentum, keep, first);
          else if (options_.nesterov)
            sgd_range<true, true>(param, grad, buffer, lo, hi, lr, decay, momentum, keep, first);
          else
            sgd_range<true, false>(param, grad, buffer, lo, hi, lr, decay, momentum, keep, first);
        },
        detail::kElementGrain);
  });
}

}  // namespace moegnn::optim
