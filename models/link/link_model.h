// SPDX-License-Identifier: Apache-2.0
// LinkModel: an encoder (models/link/encoder.h) and a pair predictor (models/link/predictor.h) as
// one module, registered as "encoder.*" and "predictor.*" so the two get their own learning rates
// (the reference's --gnnlr / --prelr) and save together in checkpoints. score() runs both over a
// batch of pairs; the graph given is used for message passing and for common neighbours alike.
#pragma once

#include "models/link/encoder.h"
#include "models/link/predictor.h"

namespace moegnn::models {

class LinkModel final : public layers::Module {
 public:
  LinkModel(const LinkEncoderOptions& encoder, const LinkPredictorOptions& predictor, Rng& rng)
      : encoder_(encoder, rng), predictor_(predictor, rng) {
    register_module("encoder", encoder_);
    register_module("predictor", predictor_);
  }
  // B × 1 logits of `pairs` on `graph` (sorted rows) with node features x. Throws as the parts.
  Var score(Tape& tape, const graph::Csr& graph, const Tensor& x, const graph::EdgeList& pairs,
            Rng& rng) {
    const Var h = encoder_.forward(tape, graph, x, rng);
    return predictor_.forward(tape, h, graph, pairs, rng);
  }
  LinkEncoder& encoder() { return encoder_; }
  LinkPredictor& predictor() { return predictor_; }

 private:
  LinkEncoder encoder_;
  LinkPredictor predictor_;
};

}  // namespace moegnn::models
