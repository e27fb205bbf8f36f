// SPDX-License-Identifier: Apache-2.0
// The recommender models by name, for apps and experiments: "bpr-mf", "lightgcn", "sheaf4rec". A
// new model is one file set of its own and one row in registry.cpp's table.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "graph/csr.h"
#include "models/rec/rec_model.h"

namespace moegnn::rec {

// The registered names, in table order.
std::vector<std::string> rec_model_names();

// A new model `name` over num_users + num_items nodes; `graph` is the bipartite training graph
// (datasets::bipartite_graph), read by the models that propagate. Throws InvalidArgument for an
// unknown name (listing the known ones) or as the model's constructor.
std::unique_ptr<RecModel> make_rec_model(const std::string& name, Index num_users, Index num_items,
                                         const RecModelOptions& options, const graph::Csr& graph);

}  // namespace moegnn::rec
