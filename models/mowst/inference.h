// SPDX-License-Identifier: Apache-2.0
// Mowst inference (Algorithm 1 of the paper as the reviews describe it): compute the weak expert
// and the confidence C for every node, draw u_v ~ U[0, 1) and keep the weak prediction where
// u_v < C_v; the strong expert is needed only for the other nodes, so it runs on the L-hop closure
// of those nodes (graph/subgraph.h) instead of the whole graph — the paper's efficiency claim made
// real. Also the evaluation-mode metrics training selects on: the expected accuracy under random
// routing (the limit of the reference code's 50-draw average) and Mowst*'s mixture prediction.
#pragma once

#include <cstdint>
#include <vector>

#include "core/index_array.h"
#include "core/tensor.h"
#include "graph/csr.h"
#include "models/mowst/mowst.h"

namespace moegnn::mowst {

// Logits of `model` in evaluation mode on its prepared graph: num_nodes × K. Restores the model's
// training flag. Throws as model.forward.
Tensor eval_logits(models::NodeModel& model, const models::PreparedGraph& graph,
                   const Tensor& x);

// Confidence (num_nodes × 1) of the weak logits in evaluation mode.
Tensor eval_confidence(Mowst& model, const Tensor& weak_logits, const Tensor& x);

// Σ_{v ∈ rows} [C_v·1(ŷ1_v = y_v) + (1 − C_v)·1(ŷ2_v = y_v)] / |rows|: the expected accuracy of
// random routing. 0 for empty rows. Throws InvalidArgument on size mismatches.
double expected_accuracy(const IndexArray32& weak_pred, const IndexArray32& strong_pred,
                         const Tensor& confidence, const IndexArray32& labels,
                         const IndexArray32& rows);

// Mean accuracy over `draws` independent routings (the reference's m_times = 50), seeded.
double sampled_accuracy(const IndexArray32& weak_pred, const IndexArray32& strong_pred,
                        const Tensor& confidence, const IndexArray32& labels,
                        const IndexArray32& rows, Index draws, std::uint64_t seed);

// Mowst*: argmax_k (C·softmax(z1) + (1 − C)·softmax(z2)) per node.
IndexArray32 mixture_predictions(const Tensor& weak_logits, const Tensor& strong_logits,
                                 const Tensor& confidence);

// One routing draw: entry v is 1 (weak) when Rng::to_unit(Rng::bits(key, v)) < C_v, else 0.
std::vector<std::uint8_t> draw_routing(const Tensor& confidence, std::uint64_t key);

// Strong-expert logits of `seeds` only (seeds.size() × K, in the seeds' order), computed on the
// subgraph induced by their `hops`-hop closure of the prepared graph. Edge values (e.g. GCN's Â)
// come from the whole graph and every node within hops − 1 of a seed keeps all its in-neighbours,
// so the result equals the full-graph logits' rows (up to float summation order). Evaluation mode.
// closure_nodes (optional) receives the closure's size. Throws InvalidArgument for a seed out of
// range or repeated.
Tensor strong_logits_on(models::NodeModel& strong, const models::PreparedGraph& graph,
                        const Tensor& x,
                        const graph::NodeIds& seeds, int hops, Index* closure_nodes = nullptr);

struct RoutedPrediction {
  IndexArray32 predictions;           // num_nodes entries
  std::vector<std::uint8_t> to_weak;  // the routing used
  Tensor confidence;                  // num_nodes × 1
  Index num_strong = 0;               // nodes routed to the strong expert
  Index closure_nodes = 0;            // nodes the strong expert ran on
  double weak_seconds = 0.0;          // weak expert + confidence
  double strong_seconds = 0.0;        // closure extraction + strong expert
};

// Routed inference with a given routing (to_weak: num_nodes entries, 1 = weak expert). The weak
// expert and C run on every node; the strong expert on the closure of the others (efficient) or on
// the whole graph (efficient == false, the reference code's way). Throws InvalidArgument on sizes.
RoutedPrediction predict_routed(Mowst& model, const MowstGraphs& graphs, const Tensor& x,
                                std::vector<std::uint8_t> to_weak, bool efficient = true);

// The same with the routing drawn from C (draw_routing with `key`).
RoutedPrediction predict_routed(Mowst& model, const MowstGraphs& graphs, const Tensor& x,
                                std::uint64_t key, bool efficient = true);

}  // namespace moegnn::mowst
