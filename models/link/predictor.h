// SPDX-License-Identifier: Apache-2.0
// LinkPredictor: scores node pairs from the encoder's node representations h (models/link/
// encoder.h). Ncn is NCN's predictor (Wang et al., ICLR 2024; the reference's "cn1", ncnc.md §5):
//   x̃ = h + xlin(h) (use_xlin) or h;  s_b = Σ_{u ∈ N(i)∩N(j)} x̃_u  (graph/common_neighbors.h,
//   layers/ops/cn_aggregate.h);  logit = lin(β · xcnlin(s_b) + xijlin(h_i ⊙ h_j)),
// the paper's MLP(h_i ⊙ h_j ‖ Σ h_u) written, as the reference does, as the sum of two separately
// transformed branches (a linear layer on their concatenation). Gae is the reference's "cn0",
// lin(xijlin(h_i ⊙ h_j)) (the MLP-on-Hadamard decoder), and Dot the inner product Σ h_i ⊙ h_j
// (Kipf & Welling's GAE decoder, no parameters). Blocks: xlin = Lin→Drop→ReLU→Lin→LN→Drop→ReLU;
// xcnlin = Lin→Drop→ReLU→Lin→LN→Drop→ReLU[→Lin unless tailact]; xijlin = Lin→LN→Drop→ReLU[→Lin
// unless tailact]; lin = Lin→LN→Drop→ReLU[→Lin→LN→Drop→ReLU with twolayerlin]→Lin(H, 1); LN only
// with lnnn, Drop = Dropout(predp).
#pragma once

#include <deque>
#include <memory>

#include "core/rng.h"
#include "graph/csr.h"
#include "graph/edge_list.h"
#include "layers/layer_norm.h"
#include "layers/linear.h"

namespace moegnn::models {

// Ncnc = NCN with common-neighbour completion (ncnc.md §6): a node u in N(i) \ N(j) joins pair
// (i, j)'s neighbour sum with weight p(j, u), one in N(j) \ N(i) with p(i, u), where p is this
// predictor's own NCN probability (no gradient through it), calibrated as
// p0 = σ(probscale · (z − proboffset)), p = α · pt·p0 / (pt·p0 + 1 − p0).
// Choice (CompletionInput::Ncn, the default): the completion NCN sees the same h, x̃ and CN graph
// as the outer one. The reference's recursion (CompletionInput::Reference) instead feeds x̃ in as
// the inner call's h: its pair branch reads x̃_i ⊙ x̃_j, its neighbour sum x̃ + xlin(x̃) (xlin
// applied twice, fresh dropout masks), and while training it drops the CN graph's entries a second
// time (DropAdj again); its published NCNC calibrations were tuned that way.
enum class LinkPredictorKind { Ncn, Ncnc, Gae, Dot };
enum class CompletionInput { Ncn, Reference };

struct LinkPredictorOptions {
  LinkPredictorKind kind = LinkPredictorKind::Ncn;
  Index hidden = 256;  // the encoder's width
  float predp = 0.0f;  // dropout inside the MLPs
  float preedp = 0.0f;  // training: drop each stored entry of the CN graph with this probability
  bool lnnn = false;    // LayerNorm in the MLPs
  bool use_xlin = false;
  bool tailact = false;
  bool twolayerlin = false;
  float beta = 1.0f;  // initial weight of the common-neighbour branch (learned)
  Index max_cn_degree = 0;  // > 0: cap rows in the intersection (graph/common_neighbors.h)
  // Ncnc's calibration (the reference's --probscale, --proboffset, --pt, --alpha).
  float probscale = 5.0f;
  float proboffset = 3.0f;
  float pt = 0.5f;
  float alpha = 1.0f;
  CompletionInput completion = CompletionInput::Ncn;
};

// One Lin→[LN]→Drop→ReLU... chain, as listed in the file comment.
class PredictorMlp final : public layers::Module {
 public:
  // pattern: one letter per stage, 'L' Linear (H→H, or in→H first, or H→1 last when `to_one`),
  // 'N' LayerNorm (skipped without ln), 'D' dropout, 'R' ReLU.
  PredictorMlp(const char* pattern, Index in, Index hidden, bool ln, bool to_one, Rng& rng);
  Var forward(Tape& tape, Var x, float p, Rng& rng);

 private:
  std::string pattern_;
  std::deque<layers::Linear> lins_;
  std::deque<layers::LayerNorm> norms_;
};

class LinkPredictor final : public layers::Module {
 public:
  // Throws InvalidArgument for hidden < 1 or a dropout outside [0, 1).
  LinkPredictor(const LinkPredictorOptions& options, Rng& rng);
  // h: num_nodes × hidden; cn_graph: the symmetric graph whose rows give the common neighbours
  // (sorted rows, checked once by the caller: Validate::Trusted here); pairs: B pairs. Returns
  // B × 1 logits. Throws InvalidArgument on a shape mismatch or pair ids out of range.
  Var forward(Tape& tape, Var h, const graph::Csr& cn_graph, const graph::EdgeList& pairs,
              Rng& rng);
  const LinkPredictorOptions& options() const { return options_; }

 private:
  // xijlin(h_i ⊙ h_j) of each pair.
  Var pair_branch(Tape& tape, Var h, const graph::EdgeList& pairs, Rng& rng);
  // lin(β · xcnlin(c · x̃) + z) for a pair × node matrix c (weighted or not), z = pair_branch().
  Var head(Tape& tape, Var z, Var xt, const graph::Csr& c, Rng& rng);
  // NCNC's weighted pair × node matrix (common neighbours 1, one-sided ones their probability).
  graph::Csr completed(const graph::Csr& g, const Tensor& h, const Tensor& xt,
                       const graph::EdgeList& pairs, Rng& rng);
  LinkPredictorOptions options_;
  std::unique_ptr<PredictorMlp> xlin_, xcnlin_, xijlin_, lin_;
  Parameter beta_;
};

// g with each stored entry dropped independently with probability p (the reference's DropAdj on
// the predictor's graph; rows stay sorted). p == 0 returns g.
graph::Csr drop_entries(const graph::Csr& g, float p, Rng& rng);

}  // namespace moegnn::models
