// SPDX-License-Identifier: Apache-2.0
// Double-precision reference optimizers for the tests, written out from the algorithms PyTorch
// documents for torch.optim.SGD, Adam and AdamW (and its single-tensor implementation for AMSGrad:
// the running maximum is taken over the raw v, then bias-corrected). They share no code with the
// float kernels under test, so agreement checks the formulas, not a copy of them.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/tensor.h"

namespace moegnn::optim::test {

inline std::vector<double> to_doubles(const Tensor& t) {
  return std::vector<double>(t.data(), t.data() + t.size());
}

struct RefSgd {
  double lr = 0.0;
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;
  std::vector<double> buffer{};

  void step(std::vector<double>& theta, const std::vector<double>& grad) {
    for (std::size_t i = 0; i < theta.size(); ++i) {
      double d = grad[i] + weight_decay * theta[i];
      if (momentum != 0.0) {
        if (buffer.size() < theta.size())
          buffer.push_back(d);  // the first step copies d
        else
          buffer[i] = momentum * buffer[i] + (1.0 - dampening) * d;
        d = nesterov ? d + momentum * buffer[i] : buffer[i];
      }
      theta[i] -= lr * d;
    }
  }
};

struct RefAdam {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool decoupled = false;  // AdamW
  bool amsgrad = false;
  std::vector<double> m{};
  std::vector<double> v{};
  std::vector<double> v_max{};
  int t = 0;

  void step(std::vector<double>& theta, const std::vector<double>& grad) {
    if (m.empty()) m = v = v_max = std::vector<double>(theta.size(), 0.0);
    ++t;
    const double c1 = 1.0 - std::pow(beta1, t);
    const double c2 = 1.0 - std::pow(beta2, t);
    for (std::size_t i = 0; i < theta.size(); ++i) {
      double g = grad[i];
      if (decoupled)
        theta[i] *= 1.0 - lr * weight_decay;
      else
        g += weight_decay * theta[i];
      m[i] = beta1 * m[i] + (1.0 - beta1) * g;
      v[i] = beta2 * v[i] + (1.0 - beta2) * g * g;
      v_max[i] = std::max(v_max[i], v[i]);
      const double second = amsgrad ? v_max[i] : v[i];
      theta[i] -= lr * (m[i] / c1) / (std::sqrt(second / c2) + eps);
    }
  }
};

}  // namespace moegnn::optim::test
