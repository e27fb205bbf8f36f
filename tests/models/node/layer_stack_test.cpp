// SPDX-License-Identifier: Apache-2.0
// The shared layer stack behind the baseline models: norm choice and naming, the shared option
// checks, input dropout only in training mode, and the default forward_blocks of models without
// block support.
#include "models/node/layer_stack.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "models/node/gcn.h"
#include "models/node/mlp.h"
#include "models/node/sage.h"
#include "tests/layers/conv_fixtures.h"
#include "tests/models/node/node_model_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::models {
namespace {

std::vector<std::string> names_of(NodeModel& model) {
  std::vector<std::string> names;
  for (const Parameter* p : model.parameters()) names.push_back(p->name);
  return names;
}

TEST(LayerStack, LayerNormAfterEachHiddenConv) {
  Rng rng(1);
  Sage model({.in_channels = 3, .hidden_channels = 4, .out_channels = 2, .layer_norm = true}, rng);
  EXPECT_EQ(names_of(model),
            (std::vector<std::string>{"conv0.lin_l.weight", "conv0.lin_l.bias",
                                      "conv0.lin_r.weight", "ln0.weight", "ln0.bias",
                                      "conv1.lin_l.weight", "conv1.lin_l.bias",
                                      "conv1.lin_r.weight"}));
  EXPECT_TRUE(model.buffers().empty());
  const models::PreparedGraph g = model.prepare(test::random_graph(6, 0.4, 5));
  EXPECT_TRUE(test::model_gradients_match(model, g, 6, 3));
}

TEST(LayerStack, RejectsSharedOptionsNamingTheModel) {
  Rng rng(1);
  test::expect_error<InvalidArgument>(
      [&] { Gcn({.in_channels = 3, .out_channels = 2, .batch_norm = true, .layer_norm = true}, rng); },
      "Gcn");
  test::expect_error<InvalidArgument>(
      [&] { Sage({.in_channels = 3, .out_channels = 2, .input_dropout = 1.0f}, rng); }, "Sage");
  test::expect_error<InvalidArgument>(
      [&] { check_stack_options("Model", {.in_channels = 3, .out_channels = 2, .num_layers = 0}); },
      "Model");
}

TEST(LayerStack, InputDropoutOnlyInTraining) {
  Rng init(2);
  Gcn model({.in_channels = 4, .hidden_channels = 5, .out_channels = 3, .dropout = 0.0f,
             .input_dropout = 0.5f},
            init);
  const models::PreparedGraph adj = model.prepare(test::random_graph(8, 0.4, 3));
  const Tensor x = support::random_tensor(8, 4, 4);
  const auto run = [&](bool training) {
    model.train(training);
    Rng rng(7);
    Tape tape(Tape::Mode::Inference);
    return model.forward(tape, adj, tape.constant(x), rng).value();
  };
  const Tensor eval = run(false);
  EXPECT_FALSE(support::all_close(run(true), eval));  // half the inputs dropped
  model.eval();
  EXPECT_TRUE(support::all_close(run(false), eval));  // deterministic in evaluation
}

TEST(LayerStack, ModelsWithoutBlockSupportSaySo) {
  Rng rng(1);
  Mlp model({.in_channels = 3, .out_channels = 2}, rng);
  Tape tape;
  try {
    model.forward_blocks(tape, {}, tape.constant(Tensor::zeros(2, 3)), rng);
    ADD_FAILURE() << "expected Unsupported";
  } catch (const Unsupported& e) {
    EXPECT_NE(std::string(e.what()).find("sampled blocks"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace moegnn::models
