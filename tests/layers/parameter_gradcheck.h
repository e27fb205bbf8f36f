// SPDX-License-Identifier: Apache-2.0
// Gradient check over a layer's own Parameters (support::gradient_matches checks tape inputs, but a
// layer reads its weights through tape.param inside forward). The same projection idea:
// L = Σ R ⊙ forward(), dL/dp from Tape::backward against central differences, element by element.
// Inputs that should be checked too are passed as Parameters and read with tape.param.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "core/tape.h"
#include "tests/support/gradcheck.h"

namespace moegnn::support {

using ParamForwardFn = std::function<Var(Tape&)>;

inline double projected_loss(const ParamForwardFn& forward, const Tensor& projection) {
  Tape tape(Tape::Mode::Inference);
  const Tensor out = forward(tape).value();
  double total = 0.0;
  for (Index i = 0; i < out.size(); ++i)
    total += static_cast<double>(out.data()[i]) * projection.data()[i];
  return total;
}

// forward(tape) must be deterministic (reseed any Rng inside it) and read every p in `params`.
inline testing::AssertionResult parameter_gradients_match(const std::vector<Parameter*>& params,
                                                          const ParamForwardFn& forward,
                                                          float step = 1e-2f, float atol = 2e-3f,
                                                          float rtol = 2e-2f) {
  for (Parameter* p : params) p->zero_grad();
  Tape tape;
  const Var out = forward(tape);
  const Tensor projection = random_tensor(out.rows(), out.cols(), 777, -1.0f, 1.0f);
  const Var loss = tape.record(Tensor::scalar(0.0f), {out}, [projection](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    const float g = s.grad_out.data()[0];
    for (Index i = 0; i < projection.size(); ++i) s.grad_in[0]->data()[i] += g * projection.data()[i];
  });
  tape.backward(loss);
  for (std::size_t i = 0; i < params.size(); ++i) {
    Parameter& p = *params[i];
    const Tensor analytic = p.grad.clone();
    for (Index e = 0; e < p.value.size(); ++e) {
      float& value = p.value.data()[e];
      const float saved = value;
      value = saved + step;
      const double plus = projected_loss(forward, projection);
      value = saved - step;
      const double minus = projected_loss(forward, projection);
      value = saved;
      const double numeric = (plus - minus) / (2.0 * step);
      const double got = analytic.data()[e];
      if (!(std::fabs(numeric - got) <= atol + rtol * std::fabs(numeric)))
        return testing::AssertionFailure()
               << "parameter " << i << " (" << p.name << ") element " << e << ": tape gradient "
               << got << " vs finite difference " << numeric << " (step " << step << ")";
    }
  }
  return testing::AssertionSuccess();
}

}  // namespace moegnn::support
