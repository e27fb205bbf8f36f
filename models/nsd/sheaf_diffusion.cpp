// SPDX-License-Identifier: Apache-2.0
// SheafDiffusion: options, construction, graph preparation and the forward pass (eq. 6 of Bodnar
// et al., 2022, in the reference's discrete form). Choices where the reference has quirks are in
// docs/nsd.md.
#include "models/nsd/sheaf_diffusion.h"

#include <Eigen/QR>
#include <array>
#include <cmath>
#include <utility>

#include "core/error.h"
#include "core/ops/elementwise.h"
#include "core/ops/linalg.h"
#include "core/ops/nn.h"
#include "core/ops/shape.h"
#include "graph/builder.h"
#include "layers/ops/block_spmm.h"
#include "layers/sheaf/block_matrix.h"
#include "layers/sheaf/sheaf_laplacian.h"

namespace moegnn::models {

using layers::sheaf::MapFamily;
namespace sheaf = layers::sheaf;

void NsdOptions::fields(OptionFields& f) {
  f.field("d", d, "learned stalk dimension", {1, 16});
  f.field("layers", num_layers, "diffusion layers", {1, 1024});
  f.field("hidden", hidden_channels, "channels per stalk coordinate", {1, 1 << 20});
  f.field("dropout", dropout, "dropout on the diffusion branch and after the encoder", {0.0, 0.999});
  f.field("input-dropout", input_dropout, "dropout on the input features", {0.0, 0.999});
  f.field("add-lp", add_lp, "add a fixed signless-Laplacian stalk coordinate");
  f.field("add-hp", add_hp, "add a fixed graph-Laplacian stalk coordinate");
  f.field("second-linear", second_linear, "a second encoder linear layer");
  f.field("use-act", use_act, "ELU after the encoder and on the diffusion term");
  f.field("left-weights", left_weights, "learn W1 (stalk mixing, f × f)");
  f.field("right-weights", right_weights, "learn W2 (channel mixing, c × c)");
  f.field("linear", linear, "one Laplacian, from the encoder output, for every layer");
  f.field("edge-weights", edge_weights, "learn edge weights (O(d)-NSD only)");
  f.field("sheaf-decay", sheaf_decay,
          "weight decay of the sheaf learners (the reference's sheaf_decay); -1: --weight-decay",
          {-1.0, 1.0});
  static constexpr std::array<std::pair<std::string_view, MapFamily>, 5> kMaps{{
      {"diagonal", MapFamily::Diagonal},
      {"general", MapFamily::General},
      {"householder", MapFamily::Householder},
      {"matrix-exp", MapFamily::MatrixExp},
      {"cayley", MapFamily::Cayley}}};
  f.choice("maps", maps, kMaps, "restriction map family");
  static constexpr std::array<std::pair<std::string_view, sheaf::LearnerActivation>, 3> kActs{{
      {"tanh", sheaf::LearnerActivation::Tanh},
      {"id", sheaf::LearnerActivation::Identity},
      {"elu", sheaf::LearnerActivation::Elu}}};
  f.choice("sheaf-act", sheaf_act, kActs, "activation of the sheaf learner");
}

// What a layer owns: its learners (unused ones stay null) and W1, W2, ε.
struct SheafDiffusion::Layer final : layers::Module {
  Layer(const NsdOptions& o, Index f, bool with_learner, Rng& rng);
  std::unique_ptr<sheaf::SheafLearner> learner;
  std::unique_ptr<sheaf::EdgeWeightLearner> weights;
  Parameter left, right, epsilon;
};

// Per graph: the sheaf pattern, the identity block pattern (for I_N ⊗ W1) and index helpers.
struct SheafDiffusion::Cache {
  graph::Csr key;  // shares the graph's storage, so its addresses stay unique while cached
  sheaf::SheafPattern pattern;
  graph::Csr identity;
  IndexArray32 zeros;       // N zeros: W1 repeated per node
  IndexArray32 coordinate;  // N·f: the stalk coordinate of each row
};

namespace {

const char* variant_name(SheafVariant v) {
  return v == SheafVariant::Diag ? "nsd-diag" : v == SheafVariant::Orth ? "nsd-orth" : "nsd-gen";
}

void check_options(const NsdOptions& o) {
  const char* model = variant_name(o.variant);
  MOEGNN_CHECK_AS(InvalidArgument, model, o.d >= 1, "d: ", o.d, " vs >= 1 (stalk dimension)");
  MOEGNN_CHECK_AS(InvalidArgument, model, o.in_channels > 0 && o.out_channels > 0 &&
                      o.hidden_channels > 0 && o.num_layers > 0,
                  "in/out/hidden channels and layers: ", o.in_channels, ", ", o.out_channels, ", ",
                  o.hidden_channels, ", ", o.num_layers, " vs > 0");
  MOEGNN_CHECK_AS(InvalidArgument, model, o.dropout >= 0 && o.dropout < 1 &&
                      o.input_dropout >= 0 && o.input_dropout < 1,
                  "dropout, input-dropout: ", o.dropout, ", ", o.input_dropout, " vs [0, 1)");
  const bool fits = o.variant == SheafVariant::Diag   ? o.maps == MapFamily::Diagonal
                    : o.variant == SheafVariant::Orth ? sheaf::is_orthogonal(o.maps)
                                                      : o.maps == MapFamily::General;
  MOEGNN_CHECK_AS(InvalidArgument, model, fits, "maps: ", sheaf::map_family_name(o.maps), " vs ",
                  o.variant == SheafVariant::Diag   ? "diagonal"
                  : o.variant == SheafVariant::Orth ? "householder, matrix-exp or cayley"
                                                    : "general",
                  "; nsd-diag learns diagonal maps, nsd-orth orthogonal ones, nsd-gen general ones");
  MOEGNN_CHECK_AS(InvalidArgument, model, !o.edge_weights || o.variant == SheafVariant::Orth,
                  "edge-weights: true vs false; learned edge weights belong to O(d)-NSD "
                  "(nsd-orth): Diag/Gen maps already scale freely");
  MOEGNN_CHECK_AS(InvalidArgument, model, o.variant != SheafVariant::Orth || o.d >= 2, "d: ", o.d,
                  " vs >= 2 for orthogonal maps (O(1) has no parameters); use nsd-diag for d = 1");
}

// PyTorch's default Linear init, U(±1/√in) for weight and bias, as the reference's encoder.
void torch_default_init(layers::Linear& lin, Rng& rng) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(lin.options().in_channels));
  for (Parameter* p : {&lin.weight(), &lin.bias()})
    for (Index i = 0; i < p->value.size(); ++i) p->value.data()[i] = rng.uniform(-bound, bound);
}

// A random c × c orthogonal matrix (Q of a Gaussian matrix's QR, signs fixed by R's diagonal).
Tensor orthogonal_init(Index c, Rng& rng) {
  Eigen::MatrixXd g(c, c);
  for (Index i = 0; i < c; ++i)
    for (Index j = 0; j < c; ++j) g(i, j) = rng.normal();
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(g);
  Eigen::MatrixXd q = qr.householderQ();
  const Eigen::MatrixXd r = qr.matrixQR().triangularView<Eigen::Upper>();
  for (Index j = 0; j < c; ++j)
    if (r(j, j) < 0) q.col(j) *= -1.0;
  return Tensor::from(q.cast<float>());
}

}  // namespace

SheafDiffusion::Layer::Layer(const NsdOptions& o, Index f, bool with_learner, Rng& rng) {
  if (with_learner) {
    const Index p = sheaf::map_parameters(o.maps, o.d);
    learner = std::make_unique<sheaf::SheafLearner>(
        sheaf::SheafLearnerOptions{f * o.hidden_channels, p, o.sheaf_act}, rng);
    register_module("sheaf_learner", *learner);
    if (o.edge_weights) {
      weights = std::make_unique<sheaf::EdgeWeightLearner>(f * o.hidden_channels, rng);
      register_module("weight_learner", *weights);
    }
  }
  if (o.left_weights) {
    left = Parameter(sheaf::block_eye(1, f).reshape(f, f));
    register_parameter("left", left);
  }
  if (o.right_weights) {
    right = Parameter(orthogonal_init(o.hidden_channels, rng));
    register_parameter("right", right);
  }
  epsilon = Parameter(Tensor::zeros(1, f));
  register_parameter("epsilon", epsilon);
}

SheafDiffusion::SheafDiffusion(const NsdOptions& options, Rng& rng) : options_(options) {
  check_options(options);
  const Index f = stalk_dim();
  const Index c = options.hidden_channels;
  const Index width = f * c;
  lin1_ = std::make_unique<layers::Linear>(layers::LinearOptions{options.in_channels, width}, rng);
  torch_default_init(*lin1_, rng);
  register_module("lin1", *lin1_);
  if (options.second_linear) {
    lin12_ = std::make_unique<layers::Linear>(layers::LinearOptions{width, width}, rng);
    torch_default_init(*lin12_, rng);
    register_module("lin12", *lin12_);
  }
  const Index learners = options.linear ? 1 : options.num_layers;
  for (Index t = 0; t < options.num_layers; ++t) {
    auto layer = std::make_unique<Layer>(options, f, t < learners, rng);
    register_module("layer" + std::to_string(t), *layer);
    layers_.push_back(std::move(layer));
  }
  lin2_ = std::make_unique<layers::Linear>(layers::LinearOptions{width, options.out_channels}, rng);
  torch_default_init(*lin2_, rng);
  register_module("lin2", *lin2_);
}

SheafDiffusion::~SheafDiffusion() = default;

std::vector<optim::ParamGroup> SheafDiffusion::parameter_groups(float lr, float weight_decay) {
  if (options_.sheaf_decay < 0.0f) return NodeModel::parameter_groups(lr, weight_decay);
  optim::ParamGroup learners{{}, lr, options_.sheaf_decay}, rest{{}, lr, weight_decay};
  for (Parameter* p : parameters())
    (p->name.find("sheaf_learner.") != std::string::npos ? learners : rest).params.push_back(p);
  return {std::move(rest), std::move(learners)};
}

Index SheafDiffusion::stalk_dim() const {
  return options_.d + (options_.add_lp ? 1 : 0) + (options_.add_hp ? 1 : 0);
}

graph::Csr SheafDiffusion::prepare_graph(const graph::Csr& raw) const {
  MOEGNN_CHECK(raw.is_square(), "graph: ", raw.num_rows(), " × ", raw.num_cols(), " vs square");
  const graph::Csr host = raw.to(Device::Cpu);
  std::vector<std::int32_t> src(static_cast<std::size_t>(host.num_edges()));
  std::vector<std::int32_t> dst(src.size());
  for (Index u = 0; u < host.num_rows(); ++u)
    for (graph::EdgeId k = host.row_ptr().data()[u]; k < host.row_ptr().data()[u + 1]; ++k) {
      src[k] = host.col_idx().data()[k];
      dst[k] = static_cast<std::int32_t>(u);
    }
  graph::BuildOptions b;
  b.num_nodes = host.num_rows();
  b.duplicates = graph::Duplicates::KeepFirst;
  b.symmetric = true;
  b.self_loops = graph::SelfLoops::Remove;
  return graph::from_coo(src, dst, {}, b);
}

const SheafDiffusion::Cache& SheafDiffusion::cache_for(const graph::Csr& graph) {
  for (const auto& c : caches_)
    if (c->key.row_ptr().data() == graph.row_ptr().data() &&
        c->key.col_idx().data() == graph.col_idx().data() &&
        c->key.num_edges() == graph.num_edges() && c->key.num_rows() == graph.num_rows())
      return *c;
  constexpr std::size_t kMaxGraphs = 4;  // train/eval graphs of one run; older ones are dropped
  if (caches_.size() == kMaxGraphs) caches_.erase(caches_.begin());
  auto c = std::make_unique<Cache>();
  c->key = graph;
  c->pattern = sheaf::make_sheaf_pattern(graph);
  const Index n = graph.num_rows();
  const Index f = stalk_dim();
  std::vector<graph::EdgeId> rp(static_cast<std::size_t>(n + 1));
  std::vector<graph::NodeId> ci(static_cast<std::size_t>(n));
  for (Index u = 0; u <= n; ++u) rp[u] = u;
  for (Index u = 0; u < n; ++u) ci[u] = static_cast<graph::NodeId>(u);
  c->identity = graph::Csr(n, n, graph::EdgeIds(rp), graph::NodeIds(ci));
  c->zeros = IndexArray32(std::vector<std::int32_t>(static_cast<std::size_t>(n), 0));
  std::vector<std::int32_t> coord(static_cast<std::size_t>(n * f));
  for (Index r = 0; r < n * f; ++r) coord[r] = static_cast<std::int32_t>(r % f);
  c->coordinate = IndexArray32(coord);
  caches_.push_back(std::move(c));
  return *caches_.back();
}

// Δ_t from the state X_t (N·f × c): maps by the variant's family, then the normalised Laplacian.
Var SheafDiffusion::laplacian(Tape& tape, const Cache& cache, Layer& layer, Var state) {
  const Index n = cache.pattern.num_nodes;
  const Index f = stalk_dim();
  const Index d = options_.d;
  Var flat = sheaf::reshape(tape, state, n, f * options_.hidden_channels);
  Var params = layer.learner->forward(tape, cache.pattern, flat);
  const sheaf::FixedCoordinates fixed{options_.add_lp, options_.add_hp};
  switch (options_.variant) {
  case SheafVariant::Diag:
    return sheaf::diag_sheaf_laplacian(tape, cache.pattern, params, d, fixed);
  case SheafVariant::Orth: {
    Var maps = sheaf::restriction_maps(tape, params, options_.maps, d);
    Var w = layer.weights ? layer.weights->forward(tape, cache.pattern, flat) : Var();
    return sheaf::connection_sheaf_laplacian(tape, cache.pattern, maps, w, d, fixed);
  }
  case SheafVariant::General:
    return sheaf::general_sheaf_laplacian(tape, cache.pattern, params, d, fixed);
  }
  return {};
}

Var SheafDiffusion::forward_graph(Tape& tape, const graph::Csr& graph, Var x, Rng& rng) {
  const char* model = variant_name(options_.variant);
  const Tensor xv = x.value().to(Device::Cpu);
  for (Index i = 0; i < xv.size(); ++i)
    MOEGNN_CHECK_AS(InvalidArgument, model, std::isfinite(xv.data()[i]), "x: non-finite value ",
                    xv.data()[i], " at row ", i / xv.cols(), ", column ", i % xv.cols(),
                    " vs finite features; clean or impute the input");
  MOEGNN_CHECK_AS(InvalidArgument, model, x.rows() == graph.num_rows(), "x: ", x.rows(),
                  " rows vs ", graph.num_rows(), " graph nodes");
  const Cache& cache = cache_for(graph);
  const Index n = graph.num_rows();
  const Index f = stalk_dim();
  const Index c = options_.hidden_channels;
  const bool train = training();
  // Encoder (reference: lin1, ELU, dropout, optional lin12).
  Var h = ops::dropout(tape, x, options_.input_dropout, rng, train);
  h = lin1_->forward(tape, h);
  if (options_.use_act) h = ops::elu(tape, h);
  h = ops::dropout(tape, h, options_.dropout, rng, train);
  if (lin12_) h = lin12_->forward(tape, h);
  Var state = sheaf::reshape(tape, h, n * f, c);
  Var values;
  for (std::size_t t = 0; t < layers_.size(); ++t) {
    Layer& layer = *layers_[t];
    if (t == 0 || !options_.linear) {
      Var z = t == 0 ? state : ops::dropout(tape, state, options_.dropout, rng, train);
      values = laplacian(tape, cache, layer, z);
    }
    // Eq. 6: Δ_t (I_N ⊗ W1) drop(X_t) W2ᵀ.
    Var y = ops::dropout(tape, state, options_.dropout, rng, train);
    if (options_.left_weights) {
      Var w1 = ops::gather_rows(tape, sheaf::reshape(tape, tape.param(layer.left), 1, f * f),
                                cache.zeros);
      y = ops::block_spmm(tape, cache.identity, w1, y, f);
    }
    if (options_.right_weights) y = ops::matmul(tape, y, tape.param(layer.right), ops::Transpose::Right);
    y = ops::block_spmm(tape, cache.pattern.blocks, values, y, f);
    if (options_.use_act) y = ops::elu(tape, y);
    Var coef = ops::add_scalar(tape, ops::tanh(tape, tape.param(layer.epsilon)), 1.0f);
    Var rows = ops::gather_rows(tape, sheaf::reshape(tape, coef, f, 1), cache.coordinate);
    state = ops::sub(tape, ops::mul(tape, state, rows), y);
  }
  return lin2_->forward(tape, sheaf::reshape(tape, state, n, f * c));
}

}  // namespace moegnn::models
