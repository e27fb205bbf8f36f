// SPDX-License-Identifier: Apache-2.0
// moegnn-mowst-experiments' rows: load a dataset and its runs' splits, train every model of the
// table over them (each setting of its grid, concurrently), choose each cell's setting on mean
// validation accuracy.
#include "apps/mowst_experiments/run.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include <fmt/core.h>

#include "core/error.h"
#include "core/parallel.h"
#include "datasets/registry.h"
#include "models/mowst/run.h"
#include "models/registry.h"
#include "models/training/fit.h"
#include "models/training/repeat.h"

namespace moegnn::apps {
namespace {

struct Loaded {
  datasets::NodeDataset data;
  std::vector<training::LabeledSplit> splits;
};

// The homophily h of "csbm:<h>"; throws InvalidArgument unless <h> is a number in [0, 1].
double csbm_homophily(const std::string& spec) {
  const std::string h = spec.substr(5);
  double value = -1.0;
  std::size_t used = 0;
  try {
    value = std::stod(h, &used);
  } catch (const std::logic_error&) {
    used = 0;
  }
  MOEGNN_CHECK_AS(InvalidArgument, "moegnn-mowst-experiments",
                  used == h.size() && value >= 0.0 && value <= 1.0, "dataset '", spec,
                  "': homophily '", h, "' vs a number in [0, 1] (e.g. csbm:0.3)");
  return value;
}

Loaded load(const std::string& spec, const std::string& dir, Index runs) {
  Loaded out;
  if (spec.rfind("csbm:", 0) == 0) {
    // One CSBM (seed 1: 1000 nodes, 5 classes, 32 features, degree 10); run r uses a random
    // 60/20/20 split drawn with seed r (run 0: the generator's own split).
    out.data = datasets::csbm({.num_nodes = 1000,
                               .num_classes = 5,
                               .num_features = 32,
                               .avg_degree = 10.0,
                               .homophily = csbm_homophily(spec),
                               .feature_signal = 1.5,
                               .seed = 1});
    const auto& d = out.data;
    out.splits.push_back({{d.train, d.val, d.test}, d.labels});
    for (Index r = 1; r < runs; ++r) {
      std::vector<std::int32_t> order(static_cast<std::size_t>(d.num_nodes()));
      std::iota(order.begin(), order.end(), 0);
      Rng rng(static_cast<std::uint64_t>(r));
      for (std::size_t i = order.size() - 1; i > 0; --i)
        std::swap(order[i], order[rng.below(i + 1)]);
      const auto a = order.begin() + 600, b = order.begin() + 800;
      auto sorted = [](std::vector<std::int32_t> v) {
        std::sort(v.begin(), v.end());
        return IndexArray32(v);
      };
      out.splits.push_back(
          {{sorted({order.begin(), a}), sorted({a, b}), sorted({b, order.end()})}, d.labels});
    }
    return out;
  }
  datasets::RegistryOptions options;
  options.download = false;
  out.data = datasets::load_node_dataset(spec, dir, options);
  for (const auto& s : out.data.splits)
    out.splits.push_back({s, out.data.labels});
  if (out.splits.empty())
    out.splits.push_back({{out.data.train, out.data.val, out.data.test}, out.data.labels});
  if (static_cast<Index>(out.splits.size()) > runs)
    out.splits.resize(static_cast<std::size_t>(runs));
  return out;
}

struct Cell {
  double val = 0.0;  // mean validation score: the selection criterion
  std::string text;  // what the table shows
};

using Clock = std::chrono::steady_clock;

Cell baseline(const Loaded& l, const std::string& name, Index epochs, float dropout, float lr) {
  const auto result = training::repeat_runs(static_cast<Index>(l.splits.size()), [&](Index r) {
    Rng rng(1 + static_cast<std::uint64_t>(r));
    auto model = models::make_node_model(
        name, {{"hidden", "64"}, {"layers", "2"}, {"dropout", std::to_string(dropout)}},
        {l.data.num_features(), l.data.num_classes}, rng);
    training::TrainOptions t;
    t.epochs = epochs;
    t.lr = lr;
    t.weight_decay = 5e-4f;
    t.seed = 1 + static_cast<std::uint64_t>(r);
    t.early_stopping = {.patience = 50, .monitor = training::Monitor::ValLoss};
    t.evaluate_train = false;
    t.progress = false;
    return training::fit(*model, l.data.graph, l.data.features,
                         l.splits[static_cast<std::size_t>(r)], t);
  });
  return {result.val_metric.mean, training::format_mean_std(result.test_metric)};
}

Cell mixture(const Loaded& l, const std::string& strong, mowst::Variant variant, Index epochs,
             mowst::Pretrain pretrain, float gate_dropout) {
  mowst::MowstConfig c;
  c.model.strong = strong;
  c.model.weak_config = {{"hidden", "64"}, {"layers", "2"}, {"dropout", "0.5"}};
  c.model.strong_config = c.model.weak_config;
  c.model.gate = {.hidden_channels = 64, .dropout = gate_dropout};
  c.train.variant = variant;
  c.train.pretrain = pretrain;
  c.train.pretrain_epochs = epochs;
  c.train.epochs = epochs;
  c.train.turn_epochs = epochs / 2;
  c.train.lr_gate = 0.01f;
  const auto report =
      mowst::run_mowst(l.data.graph, l.data.features, l.data.num_classes, l.splits, c);
  const training::RepeatResult& r = report.summary;
  return {r.val_metric.mean, training::format_mean_std(r.test_metric) + " (" +
                                 training::format_mean_std(r.extras.at("fraction_weak"), 0) +
                                 "% MLP)"};
}

// The cell of the setting with the best mean validation score; ties keep the first setting. The
// settings train concurrently (each is seeded on its own and every kernel reduces in a fixed
// order, so the row does not depend on the thread count); `what` (dataset and model) heads each
// setting's progress line on stderr, printed as it finishes.
template <typename Setting, typename Run>
std::string best_of(const std::string& what,
                    const std::vector<std::pair<std::string, Setting>>& settings, Run run) {
  std::vector<Cell> cells(settings.size());
  std::vector<std::exception_ptr> errors(settings.size());
  parallel_for(
      0, static_cast<Index>(settings.size()),
      [&](Index i) {
        const auto k = static_cast<std::size_t>(i);
        const auto start = Clock::now();
        try {
          cells[k] = run(settings[k].second);
        } catch (...) {
          errors[k] = std::current_exception();
          return;
        }
        fmt::print(stderr, "{} [{}]: val {:.2f}, test {} ({:.0f} s)\n", what, settings[k].first,
                   100.0 * cells[k].val, cells[k].text,
                   std::chrono::duration<double>(Clock::now() - start).count());
      },
      1);
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
  std::size_t best = 0;
  for (std::size_t k = 1; k < cells.size(); ++k)
    if (cells[k].val > cells[best].val) best = k;
  return settings.size() > 1 ? cells[best].text + " [" + settings[best].first + "]"
                             : cells[best].text;
}

struct BaselineSetting {
  float dropout, lr;
};
struct MixtureSetting {
  mowst::Pretrain pretrain;
  float gate_dropout;
};

// The grid of each model kind: one fixed setting, or with --grid the small grid the table uses.
std::vector<std::pair<std::string, BaselineSetting>> baseline_grid(bool grid) {
  if (!grid) return {{"dropout 0.5, lr 0.01", {0.5f, 0.01f}}};
  return {{"dp 0.2, lr 0.01", {0.2f, 0.01f}},
          {"dp 0.5, lr 0.01", {0.5f, 0.01f}},
          {"dp 0.2, lr 0.005", {0.2f, 0.005f}},
          {"dp 0.5, lr 0.005", {0.5f, 0.005f}}};
}

std::vector<std::pair<std::string, MixtureSetting>> mixture_grid(bool grid) {
  if (!grid) return {{"pretrain both, gate dropout 0.1", {mowst::Pretrain::Both, 0.1f}}};
  return {{"pre strong, gdp 0.1", {mowst::Pretrain::Strong, 0.1f}},
          {"pre strong, gdp 0.5", {mowst::Pretrain::Strong, 0.5f}},
          {"pre both, gdp 0.1", {mowst::Pretrain::Both, 0.1f}},
          {"pre both, gdp 0.5", {mowst::Pretrain::Both, 0.5f}}};
}

}  // namespace

std::string table_header() {
  return "| dataset | MLP | GCN | SAGE | Mowst-GCN | Mowst*-GCN | Mowst-SAGE | Mowst*-SAGE |\n"
         "|---|---|---|---|---|---|---|---|\n";
}

std::string dataset_row(const std::string& name, const ExperimentOptions& o) {
  const Loaded l = load(name, o.data_dir, o.runs);
  const auto baselines = baseline_grid(o.grid);
  const auto mixtures = mixture_grid(o.grid);
  auto base = [&](const std::string& model) {
    return best_of(name + " " + model, baselines, [&](const BaselineSetting& s) {
      return baseline(l, model, o.epochs, s.dropout, s.lr);
    });
  };
  auto mix = [&](const std::string& strong, mowst::Variant variant) {
    const std::string model = (variant == mowst::Variant::Mowst ? "mowst-" : "mowst*-") + strong;
    return best_of(name + " " + model, mixtures, [&](const MixtureSetting& s) {
      return mixture(l, strong, variant, o.epochs, s.pretrain, s.gate_dropout);
    });
  };
  return "| " + name + " (" + std::to_string(l.splits.size()) + " runs) | " + base("mlp") + " | " +
         base("gcn") + " | " + base("sage") + " | " + mix("gcn", mowst::Variant::Mowst) + " | " +
         mix("gcn", mowst::Variant::MowstStar) + " | " + mix("sage", mowst::Variant::Mowst) +
         " | " + mix("sage", mowst::Variant::MowstStar) + " |";
}

}  // namespace moegnn::apps
