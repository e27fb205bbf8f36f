// SPDX-License-Identifier: Apache-2.0
// StackModel: a NodeModel made of one LayerStack (models/node/layer_stack.h) of convs, the shape of
// every baseline GNN here (GCN, GraphSAGE, GAT, GIN). It owns the options and the stack, checks
// the inputs, and runs the stack on the whole graph (forward) or on sampled blocks
// (forward_blocks); a model adds its options struct, its prepare() and how one conv is called
// (apply). num_hops() is the number of convolutions.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "core/rng.h"
#include "models/node/layer_stack.h"
#include "models/node/node_model.h"

namespace moegnn::models {

template <typename Conv, typename ModelOptions>
class StackModel : public NodeModel {
 public:
  using Options = ModelOptions;

  // graph: prepare_graph()'s result; x: num_nodes × in_channels -> logits num_nodes ×
  // out_channels. Throws InvalidArgument on a shape mismatch.
  Var forward_graph(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) override {
    check_forward_input((name_ + "::forward").c_str(), x, options_.in_channels, graph.num_nodes());
    return stack_.forward(tape, x, rng, training(), [&](Conv& conv, std::size_t, Var h) {
      return apply(conv, tape, graph, h, rng, /*block=*/false);
    });
  }

  // Blocks sampled from prepare()'s graph, input layer first (graph/block.h): x holds the features
  // of blocks[0]'s sources -> logits of blocks.back()'s destinations. Full-neighbour blocks give
  // forward()'s rows. Throws InvalidArgument for a block count other than num_layers or a shape
  // mismatch.
  Var forward_blocks(Tape& tape, const std::vector<graph::Block>& blocks, Var x,
                     Rng& rng) override {
    check_blocks_input((name_ + "::forward_blocks").c_str(), blocks, options_.num_layers, x,
                       options_.in_channels);
    return stack_.forward(tape, x, rng, training(), [&](Conv& conv, std::size_t l, Var h) {
      return apply(conv, tape, blocks[l].adj, h, rng, /*block=*/true);
    });
  }

  // The same with layer_input(l, h) turning layer l's input (blocks[l].num_dst rows; x: the first
  // block's destinations) into its sources' rows. Throws InvalidArgument as forward_blocks, and
  // when the hook returns other than blocks[l].num_src() rows.
  Var forward_blocks_hooked(Tape& tape, const std::vector<graph::Block>& blocks, Var x, Rng& rng,
                            const LayerInputFn& layer_input) override {
    const std::string function = name_ + "::forward_blocks_hooked";
    MOEGNN_CHECK_AS(InvalidArgument, function.c_str(),
                    static_cast<Index>(blocks.size()) == options_.num_layers && layer_input,
                    "got ", blocks.size(), " blocks and ", layer_input ? "a" : "no",
                    " hook vs one block per layer (", options_.num_layers, ") and a hook");
    check_forward_input(function.c_str(), x, options_.in_channels, blocks.front().num_dst);
    return stack_.forward(tape, x, rng, training(), [&](Conv& conv, std::size_t l, Var h) {
      const Var in = layer_input(static_cast<Index>(l), h);
      MOEGNN_CHECK_AS(InvalidArgument, function.c_str(), in.rows() == blocks[l].num_src(),
                      "layer ", l, "'s hook returned ", in.rows(), " rows vs ",
                      blocks[l].num_src(), " sources");
      return apply(conv, tape, blocks[l].adj, in, rng, /*block=*/true);
    });
  }

  Index num_hops() const override { return options_.num_layers; }
  const Options& options() const { return options_; }
  std::deque<Conv>& convs() { return stack_.convs(); }
  const std::deque<Conv>& convs() const { return stack_.convs(); }

 protected:
  // name: the model's class name in error messages; stack: the shared layout (stack_options);
  // make_conv_options as LayerStack's. Throws InvalidArgument as LayerStack.
  template <typename MakeConvOptions>
  StackModel(const char* name, const Options& options, const StackOptions& stack, Rng& rng,
             MakeConvOptions make_conv_options)
      : name_(name),
        options_(options),
        stack_(name, stack, rng, make_conv_options) {
    register_module("", stack_);  // the stack's names are the model's: conv0.weight, bn0.weight
  }

  // Runs one conv on `graph`: the whole prepared graph, or a sampled block when `block`.
  virtual Var apply(Conv& conv, Tape& tape, const graph::Csr& graph, Var h, Rng& rng,
                    bool block) = 0;

 private:
  std::string name_;
  Options options_;
  LayerStack<Conv> stack_;
};

}  // namespace moegnn::models
