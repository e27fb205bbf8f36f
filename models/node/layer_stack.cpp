// SPDX-License-Identifier: Apache-2.0
// LayerStack: the option checks every baseline model shares.
#include "models/node/layer_stack.h"

#include "core/error.h"
#include "models/node/node_model.h"

namespace moegnn::models {

void check_stack_options(const char* model, const StackOptions& o) {
  MOEGNN_CHECK_AS(InvalidArgument, model, o.num_layers >= 1, "num_layers is ", o.num_layers,
                  " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, model,
                  o.in_channels > 0 && o.out_channels > 0 &&
                      (o.num_layers == 1 || o.hidden_width > 0),
                  "channels must be positive: in ", o.in_channels, ", hidden ", o.hidden_width,
                  ", out ", o.out_channels, " vs > 0");
  MOEGNN_CHECK_AS(InvalidArgument, model,
                  o.dropout >= 0.0f && o.dropout < 1.0f && o.input_dropout >= 0.0f &&
                      o.input_dropout < 1.0f,
                  "dropout ", o.dropout, " and input_dropout ", o.input_dropout, " vs [0, 1)");
  MOEGNN_CHECK_AS(InvalidArgument, model, !(o.batch_norm && o.layer_norm),
                  "batch_norm and layer_norm are both set vs at most one norm");
}

void check_forward_input(const char* function, const Var& x, Index in_channels, Index num_rows) {
  MOEGNN_CHECK_AS(InvalidArgument, function, x.cols() == in_channels, "x has ", x.cols(),
                  " columns vs in_channels = ", in_channels);
  MOEGNN_CHECK_AS(InvalidArgument, function, num_rows < 0 || x.rows() == num_rows, "x has ",
                  x.rows(), " rows vs ", num_rows, " nodes in the graph");
}

void check_blocks_input(const char* function, const std::vector<graph::Block>& blocks,
                        Index num_layers, const Var& x, Index in_channels) {
  MOEGNN_CHECK_AS(InvalidArgument, function, static_cast<Index>(blocks.size()) == num_layers,
                  "got ", blocks.size(), " blocks vs one per layer (", num_layers, ")");
  check_forward_input(function, x, in_channels, blocks.front().num_src());
}

}  // namespace moegnn::models
