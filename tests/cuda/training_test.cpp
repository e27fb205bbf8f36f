// SPDX-License-Identifier: Apache-2.0
// End to end on both devices: the same seeded model (MLP, GCN, GraphSAGE, GAT, GIN; batch norm,
// dropout, Adam) trained full batch on a generated CSBM graph, once on the CPU and once on the GPU.
// Dropout masks come from the counter-based Rng on either device, so the runs differ only by
// float32 summation order (GEMM, SpMM, reductions): per-epoch losses agree within 1e-3 relative,
// the selected epoch's accuracies within 1 % of the nodes. Also: Module::to moves parameters and
// batch-norm statistics both ways.
#include <cmath>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "datasets/csbm.h"
#include "models/registry.h"
#include "models/training/fit.h"
#include "models/training/model_state.h"
#include "tests/cuda/cuda_test_util.h"

namespace moegnn {
namespace {

datasets::NodeDataset graph() {
  return datasets::csbm({.num_nodes = 600,
                         .num_classes = 4,
                         .num_features = 24,
                         .avg_degree = 8.0,
                         .homophily = 0.8,
                         .feature_signal = 1.0,
                         .seed = 7});
}

std::unique_ptr<models::NodeModel> make(const std::string& name, const datasets::NodeDataset& d) {
  Rng init(3);
  const models::ModelConfig shared{
      {"hidden", "32"}, {"layers", "3"}, {"dropout", "0.5"}, {"norm", "batch"}};
  return models::make_node_model(name, models::known_options(name, shared),
                                 {d.num_features(), d.num_classes}, init);
}

training::FitResult train_on(const std::string& name, Device device,
                             const datasets::NodeDataset& d) {
  auto model = make(name, d);
  model->to(device);
  training::TrainOptions t{.epochs = 30,
                           .lr = 0.01f,
                           .weight_decay = 5e-4f,
                           .seed = 11,
                           .progress = false};
  return training::fit(*model, d.graph, d.features.to(device), {{d.train, d.val, d.test}, d.labels},
                       t);
}

class CudaTraining : public ::testing::TestWithParam<const char*> {};

TEST_P(CudaTraining, CurvesMatchTheCpu) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const datasets::NodeDataset d = graph();
  const training::FitResult cpu = train_on(GetParam(), Device::Cpu, d);
  const training::FitResult gpu = train_on(GetParam(), Device::Cuda, d);
  ASSERT_EQ(cpu.history.size(), gpu.history.size());
  for (std::size_t e = 0; e < cpu.history.size(); ++e) {
    const auto& a = cpu.history[e];
    const auto& b = gpu.history[e];
    EXPECT_NEAR(b.loss, a.loss, 1e-3 * std::abs(a.loss)) << "epoch " << a.epoch;
    EXPECT_NEAR(b.val_loss, a.val_loss, 1e-3 * std::abs(a.val_loss)) << "epoch " << a.epoch;
  }
  EXPECT_NEAR(gpu.best.val_metric, cpu.best.val_metric, 0.01);
  EXPECT_NEAR(gpu.best.test_metric, cpu.best.test_metric, 0.01);
  EXPECT_LT(cpu.history.back().loss, 0.8 * cpu.history.front().loss);  // it did learn
}

INSTANTIATE_TEST_SUITE_P(Models, CudaTraining,
                         ::testing::Values("mlp", "gcn", "sage", "gat", "gin"));

TEST(CudaModuleTo, MovesParametersAndStatisticsBothWays) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  const datasets::NodeDataset d = graph();
  auto model = make("gcn", d);
  std::vector<Tensor> before;
  for (Parameter* p : model->parameters()) before.push_back(p->value.clone());
  model->to(Device::Cuda);
  for (Parameter* p : model->parameters()) EXPECT_EQ(p->value.device(), Device::Cuda) << p->name;
  model->to(Device::Cpu);
  const auto params = model->parameters();
  for (std::size_t i = 0; i < params.size(); ++i) {
    EXPECT_EQ(params[i]->value.device(), Device::Cpu);
    EXPECT_TRUE(support::all_close(params[i]->value, before[i], 0.0f, 0.0f)) << params[i]->name;
  }
  model->to(Device::Cuda);
  for (const layers::Buffer& b : model->buffers()) {
    if (b.tensor != nullptr) {
      EXPECT_EQ(b.tensor->device(), Device::Cuda) << b.name;
    }
  }
  model->to(Device::Cpu);
  for (const layers::Buffer& b : model->buffers()) {
    if (b.tensor != nullptr) {
      EXPECT_EQ(b.tensor->device(), Device::Cpu) << b.name;
    }
  }
}

}  // namespace
}  // namespace moegnn
