// SPDX-License-Identifier: Apache-2.0
// The whole pipeline against the installed package: `pipeline train DIR` trains a GCN on a
// generated graph with early stopping, saves it and its predictions; `pipeline predict DIR` (a
// fresh process) rebuilds the model from the file alone, predicts, and compares bit for bit.
#include <moegnn/datasets/csbm.h>
#include <moegnn/models/model_io.h>
#include <moegnn/models/registry.h>
#include <moegnn/models/training/checkpoint.h>
#include <moegnn/models/training/fit.h>

#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char** argv) {
  using namespace moegnn;
  if (argc != 3) return std::fprintf(stderr, "usage: pipeline train|predict DIR\n"), 2;
  const std::string dir = argv[2];
  const auto data = datasets::csbm({.num_nodes = 1000, .num_classes = 4, .num_features = 16});
  if (std::strcmp(argv[1], "train") == 0) {
    Rng init(1);
    auto model = models::make_node_model("gcn", {{"hidden", "32"}}, {16, 4}, init);
    const auto fit = training::fit(*model, data.graph, data.features,
                                   {{data.train, data.val, data.test}, data.labels},
                                   {.epochs = 200, .early_stopping = {.patience = 20}});
    models::save_model(*model, dir + "/model.safetensors");
    training::Checkpoint expected;
    expected.add("logits", models::predict(*model, data.graph, data.features));
    expected.save(dir + "/expected.safetensors");
    return std::printf("trained: test accuracy %.3f\n", fit.best.test_metric) < 0;
  }
  auto model = models::load_node_model(dir + "/model.safetensors");  // a fresh process
  const Tensor logits = models::predict(*model, data.graph, data.features);
  const Tensor expected = training::Checkpoint::load(dir + "/expected.safetensors").tensor("logits");
  const bool same = logits.same_shape(expected) &&
                    std::memcmp(logits.data(), expected.data(), logits.size() * sizeof(float)) == 0;
  std::printf("reloaded in a fresh process: predictions %s\n", same ? "identical" : "DIFFER");
  return same ? 0 : 1;
}
