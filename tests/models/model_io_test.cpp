// SPDX-License-Identifier: Apache-2.0
// models/model_io.h: a trained model saved, loaded into a fresh model or rebuilt from the file
// alone predicts bit-identical logits; files of other models are refused; predict needs no Rng and
// leaves the model's mode as it was.
#include <cstring>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "core/error.h"
#include "models/model_io.h"
#include "models/node/gcn.h"
#include "models/registry.h"
#include "tests/models/node/node_model_fixtures.h"

namespace moegnn::models {
namespace {

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.same_shape(b) && std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0;
}

class ModelIo : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("moegnn_model_io_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(ModelIo, SavedModelReloadsAndPredictsBitIdentically) {
  const auto data = test::model_csbm();
  Rng rng(3);
  auto model = make_node_model("gcn", {{"hidden", "16"}, {"norm", "batch"}},
                               {data.num_features(), data.num_classes}, rng);
  test::train_on(*model, data, 20);
  const Tensor expected = predict(*model, data.graph, data.features);
  EXPECT_TRUE(model->training());  // predict restored the mode
  save_model(*model, dir_ / "gcn.safetensors");

  const auto rebuilt = load_node_model(dir_ / "gcn.safetensors");  // from the file alone
  ASSERT_NE(dynamic_cast<Gcn*>(rebuilt.get()), nullptr);
  EXPECT_EQ(dynamic_cast<Gcn*>(rebuilt.get())->options().hidden_channels, 16);
  EXPECT_TRUE(same_bits(predict(*rebuilt, data.graph, data.features), expected));

  Rng other(99);  // other weights, the same kind: load_model overwrites them and the statistics
  auto fresh = make_node_model("gcn", {{"hidden", "16"}, {"norm", "batch"}},
                               {data.num_features(), data.num_classes}, other);
  load_model(*fresh, dir_ / "gcn.safetensors");
  EXPECT_TRUE(same_bits(predict(*fresh, data.graph, data.features), expected));
}

TEST_F(ModelIo, RefusesFilesOfOtherModels) {
  const auto data = test::model_csbm();
  Rng rng(3);
  auto gcn = make_node_model("gcn", {}, {data.num_features(), data.num_classes}, rng);
  save_model(*gcn, dir_ / "gcn.safetensors");
  auto wide =
      make_node_model("gcn", {{"hidden", "32"}}, {data.num_features(), data.num_classes}, rng);
  EXPECT_THROW(load_model(*wide, dir_ / "gcn.safetensors"), InvalidArgument);  // shapes differ
  auto sage = make_node_model("sage", {}, {data.num_features(), data.num_classes}, rng);
  EXPECT_THROW(load_model(*sage, dir_ / "gcn.safetensors"), InvalidArgument);  // another model
  Gcn direct({.in_channels = data.num_features(), .out_channels = data.num_classes}, rng);
  save_model(direct, dir_ / "direct.safetensors");
  EXPECT_THROW(load_node_model(dir_ / "direct.safetensors"), InvalidArgument);  // no record
  load_model(direct, dir_ / "direct.safetensors");  // but loads into its own kind
}

}  // namespace
}  // namespace moegnn::models
