// SPDX-License-Identifier: Apache-2.0
// The fused CUDA optimizer steps against the CPU loops: a few steps of Sgd (plain, momentum with
// dampening, Nesterov), Adam (with and without AMSGrad and weight decay) and AdamW from the same
// parameters and the same seeded gradients, then the values and every state buffer compared.
// Tolerance 1e-6 absolute + 1e-5 relative: each element runs the CPU's float expressions, but the
// host compiler may contract a multiply-add into an FMA where nvcc does not (or the other way
// round), and Adam divides by a square root of such a sum.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/optim/adam.h"
#include "core/optim/adamw.h"
#include "core/optim/sgd.h"
#include "tests/cuda/cuda_test_util.h"

namespace moegnn {
namespace {

using MakeOptimizer = std::function<std::unique_ptr<optim::Optimizer>(std::vector<Parameter*>)>;

struct Trajectory {
  std::vector<Tensor> values;  // after the last step, on the CPU
  optim::OptimizerState state;
};

// Three steps on `device` from seeded parameters, with seeded gradients per step.
Trajectory run(Device device, const MakeOptimizer& make) {
  std::vector<Parameter> params;
  params.emplace_back(support::random_tensor(17, 9, 1).to(device));
  params.emplace_back(support::random_tensor(1, 9, 2).to(device));
  std::vector<Parameter*> pointers;
  for (Parameter& p : params) pointers.push_back(&p);
  const std::unique_ptr<optim::Optimizer> optimizer = make(pointers);
  for (std::uint64_t step = 0; step < 3; ++step) {
    for (std::size_t i = 0; i < params.size(); ++i)
      params[i].grad =
          support::random_tensor(params[i].value.rows(), params[i].value.cols(), 10 * step + i)
              .to(device);
    optimizer->step();
  }
  Trajectory t;
  for (const Parameter& p : params) {
    EXPECT_EQ(p.value.device(), device);
    t.values.push_back(p.value.to(Device::Cpu));
  }
  t.state = optimizer->state();
  return t;
}

void expect_same_steps(const std::string& what, const MakeOptimizer& make) {
  const Trajectory cpu = run(Device::Cpu, make);
  const Trajectory gpu = run(Device::Cuda, make);
  for (std::size_t i = 0; i < cpu.values.size(); ++i)
    EXPECT_TRUE(support::all_close(gpu.values[i], cpu.values[i], 1e-6f, 1e-5f))
        << what << ": parameter " << i;
  ASSERT_EQ(gpu.state.size(), cpu.state.size()) << what;
  for (std::size_t k = 0; k < cpu.state.size(); ++k) {
    EXPECT_EQ(gpu.state[k].first, cpu.state[k].first) << what;
    EXPECT_TRUE(support::all_close(gpu.state[k].second, cpu.state[k].second, 1e-6f, 1e-5f))
        << what << ": " << cpu.state[k].first;
  }
}

TEST(CudaOptim, SgdStepsMatchCpu) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const std::vector<std::pair<std::string, optim::SgdOptions>> cases = {
      {"plain", {}}, {"momentum", {0.9f, 0.25f, false}}, {"nesterov", {0.8f, 0.0f, true}}};
  for (const auto& [name, options] : cases)
    expect_same_steps("Sgd " + name, [options = options](std::vector<Parameter*> p) {
      return std::make_unique<optim::Sgd>(std::vector<optim::ParamGroup>{{p, 0.1f, 0.01f}},
                                          options);
    });
}

TEST(CudaOptim, AdamAndAdamWStepsMatchCpu) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  for (const bool amsgrad : {false, true}) {
    const optim::AdamOptions options{0.9f, 0.999f, 1e-8f, amsgrad};
    const std::string suffix = amsgrad ? " (AMSGrad)" : "";
    expect_same_steps("Adam" + suffix, [options](std::vector<Parameter*> p) {
      return std::make_unique<optim::Adam>(std::vector<optim::ParamGroup>{{p, 0.01f, 0.05f}},
                                           options);
    });
    expect_same_steps("AdamW" + suffix, [options](std::vector<Parameter*> p) {
      return std::make_unique<optim::AdamW>(std::vector<optim::ParamGroup>{{p, 0.01f, 0.05f}},
                                            options);
    });
  }
  // β1 = 0.2 takes torch's other lerp branch (weight 1 - β1 >= 0.5).
  expect_same_steps("Adam with beta1 0.2", [](std::vector<Parameter*> p) {
    return std::make_unique<optim::Adam>(std::vector<optim::ParamGroup>{{p, 0.01f, 0.0f}},
                                         optim::AdamOptions{0.2f, 0.9f, 1e-6f, false});
  });
}

TEST(CudaOptim, StateOnAnotherDeviceThrows) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  Parameter p(support::random_tensor(3, 2, 5));  // state is made on the CPU
  optim::Sgd sgd({{{&p}, 0.1f, 0.0f}}, {0.9f, 0.0f, false});
  p.value = p.value.to(Device::Cuda);
  p.grad = Tensor::zeros(3, 2, Device::Cuda);
  EXPECT_THROW(sgd.step(), InvalidArgument);
  p.grad = Tensor::zeros(3, 2);  // grad and value on different devices
  EXPECT_THROW(sgd.step(), InvalidArgument);
}

}  // namespace
}  // namespace moegnn
