// SPDX-License-Identifier: Apache-2.0
// JumpingKnowledge: combines the outputs of every layer of a GNN (Xu et al., 2018, sec. 5):
// concatenation (Cat) or the elementwise maximum (Max) of the layer representations, as PyG's
// JumpingKnowledge("cat" | "max"). PyG's third mode, "lstm" (bi-LSTM attention over the layers), is
// not provided: it needs an LSTM layer the library does not have, and cat/max cover the JK-Net
// configurations of the paper's best results. No parameters.
#pragma once

#include <vector>

#include "layers/module.h"

namespace moegnn::layers {

struct JumpingKnowledgeOptions {
  enum class Mode { Cat, Max };
  Mode mode = Mode::Cat;
};

class JumpingKnowledge final : public Module {
 public:
  explicit JumpingKnowledge(const JumpingKnowledgeOptions& options) : options_(options) {}

  // xs: L >= 1 layer outputs, each m × n_l. Cat -> m × Σ n_l (in list order); Max -> m × n (all
  // n_l equal; the gradient goes to the first layer holding the maximum, a NaN counts as maximal).
  // Throws InvalidArgument on an empty list or mismatched shapes, Unsupported for CUDA (Max).
  Var forward(Tape& tape, const std::vector<Var>& xs);

  // The output width for layer widths `channels` (Σ for Cat, the common width for Max).
  // Throws InvalidArgument on an empty list or, for Max, unequal widths.
  Index out_channels(const std::vector<Index>& channels) const;


  const JumpingKnowledgeOptions& options() const { return options_; }

 private:
  JumpingKnowledgeOptions options_;
};

}  // namespace moegnn::layers
