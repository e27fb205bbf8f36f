// SPDX-License-Identifier: Apache-2.0
// NodeModel::forward_blocks_hooked, the seam of distributed training: with the whole prepared graph
// as every layer's block and the identity as hook it equals forward(); the hook sees each layer's
// input in order; a hook returning the wrong row count, and a model without block support, are
// refused.
#include <gtest/gtest.h>

#include <vector>

#include "core/error.h"
#include "datasets/csbm.h"
#include "models/node/mlp.h"
#include "models/registry.h"

namespace moegnn::models {
namespace {

TEST(HookedForward, IdentityHookOnTheWholeGraphEqualsForward) {
  const datasets::NodeDataset d = datasets::csbm(
      {.num_nodes = 120, .num_classes = 3, .num_features = 6, .avg_degree = 5.0, .seed = 4});
  for (const char* name : {"gcn", "sage", "gat", "gin"}) {
    SCOPED_TRACE(name);
    Rng init(3);
    auto model = make_node_model(name, {{"hidden", "8"}, {"layers", "3"}},
                                 {d.num_features(), d.num_classes}, init);
    model->eval();
    const PreparedGraph g = model->prepare(d.graph);
    graph::Block block;
    block.adj = g.csr();
    block.num_dst = d.num_nodes();
    std::vector<graph::NodeId> ids(static_cast<std::size_t>(d.num_nodes()));
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<graph::NodeId>(i);
    block.src_nodes = graph::NodeIds(ids);
    const std::vector<graph::Block> blocks(3, block);
    Tape t1(Tape::Mode::Inference);
    Tape t2(Tape::Mode::Inference);
    Rng r1(1);
    Rng r2(1);
    const Tensor expect = model->forward(t1, g, t1.constant(d.features), r1).value();
    std::vector<Index> layers;
    const Tensor got = model
                           ->forward_blocks_hooked(t2, blocks, t2.constant(d.features), r2,
                                                   [&](Index l, Var h) {
                                                     layers.push_back(l);
                                                     return h;
                                                   })
                           .value();
    EXPECT_EQ(layers, (std::vector<Index>{0, 1, 2}));
    ASSERT_TRUE(got.same_shape(expect));
    for (Index i = 0; i < got.size(); ++i) ASSERT_NEAR(got.data()[i], expect.data()[i], 1e-5f);
  }
}

TEST(HookedForward, RefusesAWrongRowCountAndModelsWithoutBlocks) {
  const datasets::NodeDataset d = datasets::csbm({.num_nodes = 40, .num_classes = 2, .seed = 1});
  Rng init(3);
  auto gcn = make_node_model("gcn", {}, {d.num_features(), d.num_classes}, init);
  graph::Block block;
  block.adj = gcn->prepare(d.graph).csr();
  block.num_dst = d.num_nodes();
  block.src_nodes = graph::NodeIds(std::vector<graph::NodeId>(40, 0));
  const std::vector<graph::Block> blocks(2, block);
  Tape tape;
  Rng rng(1);
  EXPECT_THROW(gcn->forward_blocks_hooked(tape, blocks, tape.constant(d.features), rng,
                                          [&](Index, Var) { return tape.constant(Tensor::zeros(3, 1)); }),
               InvalidArgument);
  auto mlp = make_node_model("mlp", {}, {d.num_features(), d.num_classes}, init);
  EXPECT_THROW(mlp->forward_blocks_hooked(tape, blocks, tape.constant(d.features), rng,
                                          [](Index, Var h) { return h; }),
               Unsupported);
}

}  // namespace
}  // namespace moegnn::models
