// SPDX-License-Identifier: Apache-2.0
// Contextual stochastic block model (Deshpande et al., 2018): a labelled graph whose edge
// homophily and feature signal are dials, so a model's use of structure and of features can be
// tested separately. Nodes get balanced random classes; each edge picks a uniform source and, with
// probability `homophily`, a uniform target of the same class, else a uniform target of another
// class; features are the class mean plus standard normal noise. Seeded and counter-based: the same
// options give the same dataset on any thread count.
#pragma once

#include <cstdint>

#include "datasets/node_dataset.h"

namespace moegnn::datasets {

struct CsbmOptions {
  Index num_nodes = 0;
  Index num_classes = 2;
  Index num_features = 16;
  double avg_degree = 8.0;      // expected stored entries per node after symmetrisation
  double homophily = 0.8;       // fraction of edges within a class, 0..1 (1 / num_classes: none)
  double feature_signal = 1.0;  // norm of each class mean; the noise is N(0, 1) per feature
  std::uint64_t seed = 1;
  double train_fraction = 0.6;  // random split of the node ids; the rest after val is test
  double val_fraction = 0.2;
};

// Returns a symmetric graph without self-loops or duplicate edges, num_nodes × num_features
// features, labels in [0, num_classes) and a random split. About num_nodes · avg_degree / 2
// undirected edges are drawn; merged duplicates make the realised degree slightly lower.
// Throws InvalidArgument on num_nodes < 2, num_classes outside [1, num_nodes] (or 1 with
// homophily < 1), num_features < 1, avg_degree outside [0, num_nodes - 1], homophily outside
// [0, 1], a negative or non-finite feature_signal, or bad split fractions.
NodeDataset csbm(const CsbmOptions& options);

}  // namespace moegnn::datasets
