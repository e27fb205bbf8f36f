// SPDX-License-Identifier: Apache-2.0
// Model registry: a plain switch on the name (no self-registering statics, STYLE.md §3).
#include "models/registry.h"

#include "core/error.h"
#include "models/gat.h"
#include "models/gcn.h"
#include "models/gin.h"
#include "models/mlp.h"
#include "models/sage.h"

namespace moegnn::models {

const std::vector<std::string>& node_model_names() {
  static const std::vector<std::string> names{"mlp", "gcn", "sage", "gat", "gin"};
  return names;
}

std::unique_ptr<NodeModel> make_node_model(const std::string& name, const NodeModelOptions& o,
                                           Rng& rng) {
  if (name == "mlp")
    return std::make_unique<Mlp>(MlpOptions{.in_channels = o.in_channels,
                                            .hidden_channels = o.hidden_channels,
                                            .out_channels = o.out_channels,
                                            .num_layers = o.num_layers,
                                            .dropout = o.dropout,
                                            .batch_norm = o.batch_norm},
                                 rng);
  if (name == "gcn")
    return std::make_unique<Gcn>(GcnOptions{.in_channels = o.in_channels,
                                            .hidden_channels = o.hidden_channels,
                                            .out_channels = o.out_channels,
                                            .num_layers = o.num_layers,
                                            .dropout = o.dropout,
                                            .batch_norm = o.batch_norm},
                                 rng);
  if (name == "sage")
    return std::make_unique<Sage>(SageOptions{.in_channels = o.in_channels,
                                              .hidden_channels = o.hidden_channels,
                                              .out_channels = o.out_channels,
                                              .num_layers = o.num_layers,
                                              .dropout = o.dropout,
                                              .batch_norm = o.batch_norm,
                                              .aggr = o.aggr},
                                  rng);
  if (name == "gat")
    return std::make_unique<Gat>(GatOptions{.in_channels = o.in_channels,
                                            .hidden_channels = o.hidden_channels,
                                            .out_channels = o.out_channels,
                                            .num_layers = o.num_layers,
                                            .heads = o.heads,
                                            .output_heads = o.output_heads,
                                            .dropout = o.dropout,
                                            .attention_dropout = o.attention_dropout,
                                            .batch_norm = o.batch_norm},
                                 rng);
  if (name == "gin")
    return std::make_unique<Gin>(GinOptions{.in_channels = o.in_channels,
                                            .hidden_channels = o.hidden_channels,
                                            .out_channels = o.out_channels,
                                            .num_layers = o.num_layers,
                                            .dropout = o.dropout,
                                            .batch_norm = o.batch_norm,
                                            .train_eps = o.train_eps},
                                 rng);
  MOEGNN_FAIL(InvalidArgument, "make_node_model", "unknown model '", name,
              "' vs one of mlp, gcn, sage, gat, gin");
}

}  // namespace moegnn::models
