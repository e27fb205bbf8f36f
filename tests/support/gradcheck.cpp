// SPDX-License-Identifier: Apache-2.0
// Implementation of the test helpers in gradcheck.h.
#include "tests/support/gradcheck.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace moegnn::support {

Tensor random_tensor(Index rows, Index cols, std::uint64_t seed, float lo, float hi) {
  Rng rng(seed);
  Tensor t = Tensor::empty(rows, cols);
  for (Index i = 0; i < t.size(); ++i) t.data()[i] = rng.uniform(lo, hi);
  return t;
}

testing::AssertionResult all_close(const Tensor& actual, const Tensor& expected, float atol,
                                   float rtol) {
  if (!actual.same_shape(expected))
    return testing::AssertionFailure()
           << "shapes differ: " << actual.shape_string() << " vs " << expected.shape_string();
  const Tensor a = actual.to(Device::Cpu);
  const Tensor b = expected.to(Device::Cpu);
  for (Index i = 0; i < a.size(); ++i) {
    const float x = a.data()[i];
    const float y = b.data()[i];
    const bool both_nan = std::isnan(x) && std::isnan(y);
    if (!both_nan && !(std::fabs(x - y) <= atol + rtol * std::fabs(y)))
      return testing::AssertionFailure()
             << "element (" << i / std::max<Index>(a.cols(), 1) << ", "
             << i % std::max<Index>(a.cols(), 1) << "): " << x << " vs expected " << y
             << " (atol " << atol << ", rtol " << rtol << ")";
  }
  return testing::AssertionSuccess();
}

namespace {
// L = Σ R ⊙ f(inputs), evaluated without recording backward rules.
double projected_value(const GradFn& f, const std::vector<Tensor>& inputs, const Tensor& projection) {
  Tape tape(Tape::Mode::Inference);
  std::vector<Var> vars;
  for (const Tensor& t : inputs) vars.push_back(tape.constant(t));
  const Tensor out = f(tape, vars).value();
  double total = 0.0;
  for (Index i = 0; i < out.size(); ++i)
    total += static_cast<double>(out.data()[i]) * projection.data()[i];
  return total;
}
}  // namespace

testing::AssertionResult gradient_matches(const GradFn& f, const std::vector<Tensor>& inputs,
                                          float step, float atol, float rtol,
                                          const std::vector<int>& constant) {
  // 1. Analytic gradient: leaves are parameters so every input receives a gradient.
  std::vector<Parameter> params;
  params.reserve(inputs.size());
  for (const Tensor& t : inputs) params.emplace_back(t.clone());
  Tape tape;
  std::vector<Var> vars;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const bool is_constant = std::find(constant.begin(), constant.end(), static_cast<int>(i)) !=
                             constant.end();
    vars.push_back(is_constant ? tape.constant(params[i].value) : tape.param(params[i]));
  }
  const Var out = f(tape, vars);
  const Tensor projection = random_tensor(out.rows(), out.cols(), 12345, -1.0f, 1.0f);
  // L = Σ R ⊙ out, recorded by hand so the check does not depend on the ops under test.
  const Var loss = tape.record(Tensor::scalar(0.0f), {out}, [projection](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    const float g = s.grad_out.data()[0];
    for (Index i = 0; i < projection.size(); ++i) s.grad_in[0]->data()[i] += g * projection.data()[i];
  });
  tape.backward(loss);

  // 2. Central differences, element by element.
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (std::find(constant.begin(), constant.end(), static_cast<int>(i)) != constant.end()) continue;
    for (Index e = 0; e < inputs[i].size(); ++e) {
      std::vector<Tensor> plus;
      std::vector<Tensor> minus;
      for (const Tensor& t : inputs) {
        plus.push_back(t.clone());
        minus.push_back(t.clone());
      }
      plus[i].data()[e] += step;
      minus[i].data()[e] -= step;
      const double numeric =
          (projected_value(f, plus, projection) - projected_value(f, minus, projection)) / (2.0 * step);
      const double analytic = params[i].grad.data()[e];
      if (!(std::fabs(numeric - analytic) <= atol + rtol * std::fabs(numeric)))
        return testing::AssertionFailure()
               << "input " << i << " element " << e << ": tape gradient " << analytic
               << " vs finite difference " << numeric << " (step " << step << ")";
    }
  }
  return testing::AssertionSuccess();
}

}  // namespace moegnn::support
