// SPDX-License-Identifier: Apache-2.0
// One-call forms of the Trainer: full-graph training of any Module with a forward callback, of a
// NodeModel (models/node_model.h: the model prepares its graph once), and neighbour-sampled
// training with a block forward. Each builds a Trainer, runs fit() and returns its result.
#pragma once

#include "graph/csr.h"
#include "models/node/node_model.h"
#include "models/training/trainer.h"

namespace moegnn::training {

// Throws as Trainer(model, forward, split, options) and Trainer::fit.
FitResult fit_full_batch(layers::Module& model, ForwardFn forward, LabeledSplit split,
                         TrainOptions options);

// The NodeModel on model.prepare(raw) with features x (num_nodes × in_channels). Throws as above,
// and InvalidArgument when x's rows differ from the graph's nodes.
FitResult fit(models::NodeModel& model, const graph::Csr& raw, const Tensor& x, LabeledSplit split,
              TrainOptions options);

// Throws as Trainer(model, forward, graph, features, split, options, sampling) and Trainer::fit.
FitResult fit_mini_batch(layers::Module& model, BlockForwardFn forward, graph::Csr graph,
                         Tensor features, LabeledSplit split, TrainOptions options,
                         SamplingOptions sampling);

}  // namespace moegnn::training
