// SPDX-License-Identifier: Apache-2.0
// Full-batch GCN and GAT training epochs on a Planetoid set (Cora), set up as PyTorch Geometric's
// examples/gcn.py and examples/gat.py so that bench/compare/cora_pyg.py times the same work:
//   gcn: dropout 0.5 on the input, GCNConv(F, 16) -> ReLU -> dropout 0.5 -> GCNConv(16, C);
//        Adam lr 0.01, weight decay 5e-4 on the first conv only;
//   gat: dropout 0.6 on the input, GATConv(F, 8, heads 8, attention dropout 0.6) -> ELU ->
//        dropout 0.6 -> GATConv(64, C, heads 1, mean, attention dropout 0.6); Adam lr 0.005,
//        weight decay 5e-4.
// Features are row-normalised (PyG's NormalizeFeatures); the loss is cross-entropy over the
// public split's 140 training nodes. One timed epoch = forward, loss, backward, optimizer step.
// After the timed epochs the test accuracy (evaluation mode) is reported as a sanity check that
// both sides train the same model.
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "bench/models/epoch_common.h"
#include "core/error.h"
#include "core/ops/loss.h"
#include "core/optim/adam.h"
#include "datasets/planetoid.h"
#include "models/node/gat.h"
#include "models/node/gcn.h"
#include "models/training/metrics.h"

namespace moegnn::bench {
namespace {

struct Setup {
  std::unique_ptr<models::NodeModel> model;
  std::vector<optim::ParamGroup> groups;
};

Setup make_gcn(const EpochArgs& a, const datasets::NodeDataset& d, Rng& rng) {
  auto model = std::make_unique<models::Gcn>(
      models::GcnOptions{.in_channels = d.num_features(),
                         .hidden_channels = a.hidden > 0 ? a.hidden : 16,
                         .out_channels = d.num_classes,
                         .num_layers = a.layers > 0 ? a.layers : 2,
                         .dropout = 0.5f,
                         .input_dropout = 0.5f},
      rng);
  // PyG's example decays the first conv only.
  optim::ParamGroup first{{}, 0.01f, 5e-4f};
  optim::ParamGroup rest{{}, 0.01f, 0.0f};
  for (Parameter* p : model->parameters())
    (p->name.rfind("conv0.", 0) == 0 ? first : rest).params.push_back(p);
  return {std::move(model), {first, rest}};
}

Setup make_gat(const EpochArgs& a, const datasets::NodeDataset& d, Rng& rng) {
  auto model = std::make_unique<models::Gat>(
      models::GatOptions{.in_channels = d.num_features(),
                         .hidden_channels = a.hidden > 0 ? a.hidden : 8,
                         .out_channels = d.num_classes,
                         .num_layers = a.layers > 0 ? a.layers : 2,
                         .heads = 8,
                         .output_heads = 1,
                         .dropout = 0.6f,
                         .attention_dropout = 0.6f,
                         .input_dropout = 0.6f},
      rng);
  std::vector<Parameter*> params = model->parameters();
  return {std::move(model), {optim::ParamGroup{params, 0.005f, 5e-4f}}};
}

}  // namespace

void time_planetoid_epochs(const EpochArgs& a) {
  const std::filesystem::path dir(a.planetoid);
  const std::string name = dir.filename().empty() ? dir.parent_path().filename().string()
                                                  : dir.filename().string();
  datasets::NodeDataset d =
      datasets::load_planetoid(dir, name, {.normalize_features = true, .geom_gcn_splits = false});
  Rng rng(a.seed);
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn_models_bench", a.model == "gcn" || a.model == "gat",
                  "--model ", a.model, " with --planetoid vs gcn or gat");
  Setup s = a.model == "gcn" ? make_gcn(a, d, rng) : make_gat(a, d, rng);
  const models::PreparedGraph graph = s.model->prepare(d.graph);
  optim::Adam adam(s.groups);
  EpochTimes times;
  for (Index epoch = 0; epoch < a.warmup + a.epochs; ++epoch) {
    const EpochClock timer;
    s.model->train();
    adam.zero_grad();
    Tape tape;
    const Var logits = s.model->forward(tape, graph, tape.constant(d.features), rng);
    const Var loss = ops::cross_entropy(tape, logits, d.labels, d.train);
    tape.backward(loss);
    adam.step();
    times.final_loss = loss.value().item();
    timer.stop(times, epoch >= a.warmup);
  }
  s.model->train(false);
  Tape eval(Tape::Mode::Inference);
  const Var logits = s.model->forward(eval, graph, eval.constant(d.features), rng);
  const double test_acc = training::accuracy(logits.value(), d.labels, d.test);
  std::ostringstream extra;  // (a stream: GCC 12 warns falsely on literal + std::string)
  extra << ",\"dataset\":\"" << name << "\",\"test_acc\":" << test_acc;
  print_epoch_json(a.model, a, times, extra.str());
}

}  // namespace moegnn::bench
