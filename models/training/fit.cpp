// SPDX-License-Identifier: Apache-2.0
// One-call training entry points.
#include "models/training/fit.h"

#include "core/error.h"

namespace moegnn::training {

FitResult fit_full_batch(layers::Module& model, ForwardFn forward, LabeledSplit split,
                         TrainOptions options) {
  Trainer trainer(model, std::move(forward), std::move(split), std::move(options));
  return trainer.fit();
}

FitResult fit(models::NodeModel& model, const graph::Csr& raw, const Tensor& x, LabeledSplit split,
              TrainOptions options) {
  // The graph follows the features to their device; the model must already be there.
  models::PreparedGraph prepared = model.prepare(raw).to(x.device());
  MOEGNN_CHECK(x.rows() == prepared.num_nodes(), "x has ", x.rows(), " rows vs ",
               prepared.num_nodes(), " nodes in the graph");
  for (const Parameter* p : model.parameters())
    MOEGNN_CHECK(p->value.device() == x.device(), "parameter '", p->name, "' is on ",
                 to_string(p->value.device()), " vs x on ", to_string(x.device()),
                 "; call model.to(", to_string(x.device()), ") first");
  // The callback owns its graph and features (copies share storage), so it outlives this call.
  ForwardFn forward = [&model, graph = std::move(prepared), x](Tape& tape, Rng& rng) {
    return model.forward(tape, graph, tape.constant(x), rng);
  };
  return fit_full_batch(model, std::move(forward), std::move(split), std::move(options));
}

FitResult fit_mini_batch(layers::Module& model, BlockForwardFn forward, graph::Csr graph,
                         Tensor features, LabeledSplit split, TrainOptions options,
                         SamplingOptions sampling) {
  Trainer trainer(model, std::move(forward), std::move(graph), std::move(features),
                  std::move(split), std::move(options), std::move(sampling));
  return trainer.fit();
}

}  // namespace moegnn::training
