// SPDX-License-Identifier: Apache-2.0
// Mowst inference: evaluation-mode forwards, routing metrics and routed (closure) inference.
#include "models/mowst/inference.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/error.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "core/rng.h"
#include "graph/sampler.h"
#include "graph/subgraph.h"

namespace moegnn::mowst {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Evaluation mode for the scope, restoring the previous flag.
class EvalScope {
 public:
  explicit EvalScope(layers::Module& m) : module_(m), was_training_(m.training()) { m.eval(); }
  ~EvalScope() { module_.train(was_training_); }
  EvalScope(const EvalScope&) = delete;
  EvalScope& operator=(const EvalScope&) = delete;

 private:
  layers::Module& module_;
  bool was_training_;
};

void check_metric_sizes(const char* function, const IndexArray32& weak_pred,
                        const IndexArray32& strong_pred, const Tensor& confidence,
                        const IndexArray32& labels) {
  MOEGNN_CHECK_AS(InvalidArgument, function,
                  weak_pred.size() == labels.size() && strong_pred.size() == labels.size() &&
                      confidence.rows() == labels.size() && confidence.cols() == 1,
                  "predictions ", weak_pred.size(), " and ", strong_pred.size(), ", confidence ",
                  confidence.shape_string(), " vs ", labels.size(), " labels (and ", labels.size(),
                  " × 1)");
}

// The strong expert on the induced subgraph of the seeds' closure (every layer on every closure
// node): the way for models without a block forward (GAT).
Tensor closure_logits(models::NodeModel& strong, const models::PreparedGraph& graph,
                      const Tensor& x, const graph::NodeIds& seeds, int hops,
                      Index* closure_nodes);

void check_row(const char* function, Index row, Index n) {
  MOEGNN_CHECK_AS(InvalidArgument, function, row >= 0 && row < n, "row ", row, " vs [0, ", n, ")");
}

}  // namespace

Tensor eval_logits(models::NodeModel& model, const models::PreparedGraph& graph,
                   const Tensor& x) {
  EvalScope scope(model);
  Tape tape(Tape::Mode::Inference);
  Rng unused(0);  // evaluation mode draws no dropout masks
  return model.forward(tape, graph, tape.constant(x), unused).value();
}

Tensor eval_confidence(Mowst& model, const Tensor& weak_logits, const Tensor& x) {
  EvalScope scope(model.gate());
  Tape tape(Tape::Mode::Inference);
  Rng unused(0);
  return model.confidence(tape, tape.constant(weak_logits), tape.constant(x), unused).value();
}

double expected_accuracy(const IndexArray32& weak_pred, const IndexArray32& strong_pred,
                         const Tensor& confidence, const IndexArray32& labels,
                         const IndexArray32& rows) {
  check_metric_sizes("expected_accuracy", weak_pred, strong_pred, confidence, labels);
  if (rows.empty()) return 0.0;
  const auto c = confidence.to(Device::Cpu).host();
  double total = 0.0;
  for (const auto v : rows.host()) {
    check_row("expected_accuracy", v, labels.size());
    const double cv = c(v, 0);
    total += cv * (weak_pred[v] == labels[v] ? 1.0 : 0.0) +
             (1.0 - cv) * (strong_pred[v] == labels[v] ? 1.0 : 0.0);
  }
  return total / static_cast<double>(rows.size());
}

double sampled_accuracy(const IndexArray32& weak_pred, const IndexArray32& strong_pred,
                        const Tensor& confidence, const IndexArray32& labels,
                        const IndexArray32& rows, Index draws, std::uint64_t seed) {
  check_metric_sizes("sampled_accuracy", weak_pred, strong_pred, confidence, labels);
  MOEGNN_CHECK_AS(InvalidArgument, "sampled_accuracy", draws >= 1, "draws is ", draws, " vs >= 1");
  if (rows.empty()) return 0.0;
  Rng rng(seed);
  double total = 0.0;
  for (Index d = 0; d < draws; ++d) {
    const auto routing = draw_routing(confidence, rng.split());
    Index correct = 0;
    for (const auto v : rows.host()) {
      check_row("sampled_accuracy", v, labels.size());
      const auto pred = routing[static_cast<std::size_t>(v)] ? weak_pred[v] : strong_pred[v];
      correct += pred == labels[v] ? 1 : 0;
    }
    total += static_cast<double>(correct) / static_cast<double>(rows.size());
  }
  return total / static_cast<double>(draws);
}

IndexArray32 mixture_predictions(const Tensor& weak_logits, const Tensor& strong_logits,
                                 const Tensor& confidence) {
  MOEGNN_CHECK_AS(InvalidArgument, "mixture_predictions",
                  weak_logits.same_shape(strong_logits) &&
                      confidence.rows() == weak_logits.rows() && confidence.cols() == 1,
                  "logits ", weak_logits.shape_string(), " and ", strong_logits.shape_string(),
                  ", confidence ", confidence.shape_string(), " vs equal shapes and m × 1");
  Tensor mix = ops::softmax(weak_logits);
  const Tensor p2 = ops::softmax(strong_logits);
  const auto c = confidence.to(Device::Cpu).host();
  auto m = mix.host();
  m = (m.array().colwise() * c.col(0).array() +
       p2.host().array().colwise() * (1.0f - c.col(0).array()))
          .matrix();
  return ops::argmax_rows(mix);
}

std::vector<std::uint8_t> draw_routing(const Tensor& confidence, std::uint64_t key) {
  MOEGNN_CHECK_AS(InvalidArgument, "draw_routing", confidence.cols() == 1, "confidence is ",
                  confidence.shape_string(), " vs num_nodes × 1");
  const auto c = confidence.to(Device::Cpu).host();
  std::vector<std::uint8_t> to_weak(static_cast<std::size_t>(confidence.rows()));
  for (Index v = 0; v < confidence.rows(); ++v)
    to_weak[static_cast<std::size_t>(v)] =
        Rng::to_unit(Rng::bits(key, static_cast<std::uint64_t>(v))) < c(v, 0) ? 1 : 0;
  return to_weak;
}

Tensor strong_logits_on(models::NodeModel& strong, const models::PreparedGraph& graph,
                        const Tensor& x, const graph::NodeIds& seeds, int hops,
                        Index* closure_nodes) {
  MOEGNN_CHECK_AS(InvalidArgument, "strong_logits_on", x.rows() == graph.num_nodes(), "x has ",
                  x.rows(), " rows vs ", graph.num_nodes(), " nodes");
  MOEGNN_CHECK_AS(InvalidArgument, "strong_logits_on", hops >= 0, "hops is ", hops, " vs >= 0");
  if (hops == 0) return closure_logits(strong, graph, x, seeds, hops, closure_nodes);
  // Layer-wise pruned: layer l runs only on the destinations of block l. The blocks hold exactly
  // the nodes layer l + 1 reads, each with all its in-neighbours and the prepared graph's edge
  // values (GCN's Â from whole-graph degrees), so no row is computed that the seeds do not need.
  const std::vector<graph::Block> blocks = graph::full_neighbor_blocks(graph.csr(), seeds, hops);
  try {
    EvalScope scope(strong);
    Tape tape(Tape::Mode::Inference);
    Rng unused(0);
    const Tensor x_src = ops::gather_rows(x, IndexArray32(blocks.front().src_nodes.to_vector()));
    Tensor logits = strong.forward_blocks(tape, blocks, tape.constant(x_src), unused).value();
    if (closure_nodes != nullptr) *closure_nodes = blocks.front().num_src();
    return logits;
  } catch (const Unsupported&) {
    // No block forward (NodeModel's default throws before any work): use the closure.
  }
  return closure_logits(strong, graph, x, seeds, hops, closure_nodes);
}

namespace {

Tensor closure_logits(models::NodeModel& strong, const models::PreparedGraph& graph,
                      const Tensor& x, const graph::NodeIds& seeds, int hops,
                      Index* closure_nodes) {
  const graph::Subgraph sub = graph::k_hop_subgraph(graph.csr(), seeds, hops);
  if (closure_nodes != nullptr) *closure_nodes = sub.nodes.size();
  // Local ids follow global order (sorted), so each seed's local id is a binary search away.
  const auto nodes = sub.nodes.host();
  std::vector<std::int32_t> local(static_cast<std::size_t>(seeds.size()));
  for (Index i = 0; i < seeds.size(); ++i) {
    const auto it = std::lower_bound(nodes.begin(), nodes.end(), seeds[i]);
    local[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(it - nodes.begin());
  }
  const Tensor x_sub = ops::gather_rows(x, IndexArray32(sub.nodes.to_vector()));
  const Tensor logits = eval_logits(strong, graph.derived(sub.graph), x_sub);
  return ops::gather_rows(logits, IndexArray32(local));
}

// predict_routed with the weak logits and confidence already computed (weak_seconds: their time).
RoutedPrediction routed(Mowst& model, const MowstGraphs& graphs, const Tensor& x, const Tensor& z1,
                        Tensor confidence, std::vector<std::uint8_t> to_weak, bool efficient,
                        double weak_seconds) {
  const Index n = x.rows();
  MOEGNN_ASSERT(static_cast<Index>(to_weak.size()) == n);
  RoutedPrediction out;
  auto start = std::chrono::steady_clock::now();
  out.confidence = std::move(confidence);
  out.predictions = ops::argmax_rows(z1);
  out.weak_seconds = weak_seconds + seconds_since(start);

  start = std::chrono::steady_clock::now();
  std::vector<graph::NodeId> seeds;
  for (Index v = 0; v < n; ++v)
    if (!to_weak[static_cast<std::size_t>(v)]) seeds.push_back(static_cast<graph::NodeId>(v));
  out.num_strong = static_cast<Index>(seeds.size());
  if (!seeds.empty()) {
    auto pred = out.predictions.host();
    if (efficient) {
      const Tensor z2 = strong_logits_on(model.strong(), graphs.strong, x, graph::NodeIds(seeds),
                                         model.strong_hops(), &out.closure_nodes);
      const IndexArray32 strong_pred = ops::argmax_rows(z2);
      for (std::size_t i = 0; i < seeds.size(); ++i)
        pred[static_cast<std::size_t>(seeds[i])] = strong_pred[static_cast<Index>(i)];
    } else {
      const IndexArray32 strong_pred =
          ops::argmax_rows(eval_logits(model.strong(), graphs.strong, x));
      for (const auto v : seeds) pred[static_cast<std::size_t>(v)] = strong_pred[v];
      out.closure_nodes = n;
    }
  }
  out.strong_seconds = seconds_since(start);
  out.to_weak = std::move(to_weak);
  return out;
}

}  // namespace

RoutedPrediction predict_routed(Mowst& model, const MowstGraphs& graphs, const Tensor& x,
                                std::vector<std::uint8_t> to_weak, bool efficient) {
  MOEGNN_CHECK_AS(InvalidArgument, "predict_routed",
                  static_cast<Index>(to_weak.size()) == x.rows(), "routing has ", to_weak.size(),
                  " entries vs ", x.rows(), " nodes");
  const auto start = std::chrono::steady_clock::now();
  const Tensor z1 = eval_logits(model.weak(), graphs.weak, x);
  Tensor c = eval_confidence(model, z1, x);
  return routed(model, graphs, x, z1, std::move(c), std::move(to_weak), efficient,
                seconds_since(start));
}

// The weak expert and the gate run once: their outputs give both the routing and the predictions.
RoutedPrediction predict_routed(Mowst& model, const MowstGraphs& graphs, const Tensor& x,
                                std::uint64_t key, bool efficient) {
  const auto start = std::chrono::steady_clock::now();
  const Tensor z1 = eval_logits(model.weak(), graphs.weak, x);
  Tensor c = eval_confidence(model, z1, x);
  std::vector<std::uint8_t> to_weak = draw_routing(c, key);
  return routed(model, graphs, x, z1, std::move(c), std::move(to_weak), efficient,
                seconds_since(start));
}

}  // namespace moegnn::mowst
