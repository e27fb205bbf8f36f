// SPDX-License-Identifier: Apache-2.0
// moegnn-node-classification's experiment: data, splits, models, training, summary and outputs.
#include "apps/node_classification/run.h"

#include <cstdio>
#include <fstream>
#include <memory>
#include <unistd.h>

#include "core/device.h"
#include "core/error.h"
#include "datasets/registry.h"
#include "datasets/split.h"
#include "models/mowst/run.h"
#include "models/registry.h"
#include "models/training/fit.h"
#include "models/training/model_state.h"

namespace moegnn::apps {
namespace {

datasets::NodeDataset load(const AppOptions& o) {
  if (o.dataset == "csbm")  // the embedded graph: weak features, homophilous edges
    return datasets::csbm({.num_nodes = o.nodes,
                           .num_classes = 5,
                           .num_features = 32,
                           .avg_degree = 8.0,
                           .homophily = o.homophily,
                           .feature_signal = o.feature_signal,
                           .seed = o.seed});
  const std::filesystem::path dir = o.data_dir.empty() ? datasets::default_data_dir() : o.data_dir;
  return datasets::load_node_dataset(
      o.dataset, dir, {.download = o.download, .normalize_features = o.normalize_features});
}

// Run r's split: the public one, published split r mod their number (Geom-GCN, LINKX), or a
// 60/20/20 split from its seed.
training::NodeSplit split_for(const AppOptions& o, const datasets::NodeDataset& d, Index run,
                              std::uint64_t seed, Index& split_index) {
  split_index = -1;
  if (o.split == "geom-gcn" || o.split == "fixed") {
    MOEGNN_CHECK_AS(InvalidArgument, "--split", !d.splits.empty(), "dataset '", d.name,
                    "' has no published splits (Geom-GCN's or LINKX's) vs at least one; use "
                    "--split public or random");
    split_index = run % static_cast<Index>(d.splits.size());
    const datasets::NodeSplit& s = d.splits[static_cast<std::size_t>(split_index)];
    return {d.labels, s.train, s.val, s.test};
  }
  if (o.split == "random") {
    const datasets::Split s = datasets::random_split(d.num_nodes(), 0.6, 0.2, seed);
    return {d.labels, s.train, s.val, s.test};
  }
  return {d.labels, d.train, d.val, d.test};
}

models::NodeModelOptions model_options(const AppOptions& o, const datasets::NodeDataset& d) {
  const ops::Reduce aggr = o.aggr == "max"   ? ops::Reduce::Max
                           : o.aggr == "sum" ? ops::Reduce::Sum
                                             : ops::Reduce::Mean;
  return {.in_channels = d.num_features(),
          .hidden_channels = o.hidden,
          .out_channels = d.num_classes,
          .num_layers = o.layers,
          .dropout = o.dropout,
          .batch_norm = o.norm == "batch",
          .aggr = aggr,
          .heads = o.heads,
          .output_heads = o.output_heads,
          .attention_dropout = o.attention_dropout,
          .train_eps = o.train_eps,
          .layer_norm = o.norm == "layer",
          .input_dropout = o.input_dropout,
          .eps = o.eps};
}

// `path` for run r: run 0 keeps it, run r > 0 gets ".run<r>" before the extension.
std::filesystem::path per_run(const std::filesystem::path& path, Index run) {
  if (path.empty() || run == 0) return path;
  std::filesystem::path out = path;
  out.replace_filename(path.stem().string() + ".run" + std::to_string(run) +
                       path.extension().string());
  return out;
}

bool is_mowst(const AppOptions& o) { return o.model == "mowst" || o.model == "mowst-star"; }

// --device: "cpu", "cuda" (an error naming why when it cannot be used) or "auto". The CUDA path
// covers full-batch training of the baseline models; Mowst and neighbour-sampled mini-batches run
// on the CPU, so "auto" picks the CPU for them and "cuda" says so.
Device resolve_device(const AppOptions& o) {
  const Device device = parse_device(o.device);
  if (device == Device::Cpu) return device;
  const bool cuda_path = !is_mowst(o) && o.batch_size == 0;
  if (o.device == "auto") return cuda_path ? Device::Cuda : Device::Cpu;
  MOEGNN_CHECK_AS(Unsupported, "--device", !is_mowst(o),
                  "cuda with --model ", o.model, " vs a baseline model (mlp, gcn, sage, gat, gin): "
                  "Mowst trains on the CPU; use --device cpu or auto");
  MOEGNN_CHECK_AS(Unsupported, "--device", o.batch_size == 0, "cuda with --batch-size ",
                  o.batch_size, " vs 0: neighbour-sampled training runs on the CPU; use "
                  "--device cpu or auto");
  return device;
}

training::FitResult train_one(const AppOptions& o, const datasets::NodeDataset& d,
                              const Tensor& features, models::NodeModel& model,
                              training::NodeSplit split, Index run, std::uint64_t seed) {
  const training::Monitor monitor = o.monitor == "loss"       ? training::Monitor::ValLoss
                                    : o.monitor == "loss+acc" ? training::Monitor::ValLossAndMetric
                                                              : training::Monitor::ValMetric;
  training::TrainOptions t{
      .epochs = o.epochs,
      .lr = o.lr,
      .weight_decay = o.weight_decay,
      .seed = seed,
      .select_on = monitor,
      .early_stopping = {.patience = o.patience, .monitor = monitor},
      .batch_norms = training::batch_norm_refs(model.batch_norms()),
      .log_path = per_run(o.log, run),
      .progress = !o.quiet,
      .checkpoint_path = per_run(o.save, run),
      .resume = o.resume};
  if (o.batch_size == 0) return training::fit(model, d.graph, features, std::move(split), t);
  training::BlockForwardFn forward = [&model](Tape& tape, const std::vector<graph::Block>& blocks,
                                              Var x, Rng& rng) {
    return model.forward_blocks(tape, blocks, x, rng);
  };
  return training::fit_mini_batch(model, std::move(forward), model.prepare(d.graph), d.features,
                                  std::move(split), t,
                                  {.fanouts = o.fanouts, .batch_size = o.batch_size});
}

// --model mowst | mowst-star: run r trains a Mowst on run r's split with seed + r (run_mowst). A
// run's record carries the reported numbers (Mowst: accuracy expected under random routing;
// Mowst*: the mixture's) as its best epoch; the per-epoch curve stays in docs/mowst.md's analysis.
void run_mowst_experiment(const AppOptions& o, const datasets::NodeDataset& data, Experiment& e,
                          std::ostream& log) {
  using mowst::GateInput;
  using mowst::Pretrain;
  MOEGNN_CHECK_AS(InvalidArgument, "--batch-size", o.batch_size == 0, "got ", o.batch_size,
                  " vs 0: Mowst trains full batch");
  std::vector<training::NodeSplit> splits;
  std::vector<Index> split_ids;
  for (Index r = 0; r < o.runs; ++r) {
    Index id = -1;
    splits.push_back(split_for(o, data, r, o.seed + static_cast<std::uint64_t>(r), id));
    split_ids.push_back(id);
  }
  mowst::MowstConfig c;
  c.model.weak = o.weak;
  c.model.strong = o.strong;
  c.model.weak_options = model_options(o, data);
  c.model.strong_options = model_options(o, data);
  c.model.gate.input = o.gate == "features"       ? GateInput::DispersionFeatures
                       : o.gate == "hypernetwork" ? GateInput::Hypernetwork
                                                  : GateInput::Dispersion;
  c.model.gate.dropout = o.gate_dropout;
  c.model.gate.hyper_dropout = o.gate_dropout;
  c.train.variant = o.model == "mowst" ? mowst::Variant::Mowst : mowst::Variant::MowstStar;
  c.train.lr = o.lr;
  c.train.lr_gate = o.lr_gate;
  c.train.weight_decay = o.weight_decay;
  c.train.pretrain = o.pretrain == "none"     ? Pretrain::None
                     : o.pretrain == "weak"   ? Pretrain::Weak
                     : o.pretrain == "strong" ? Pretrain::Strong
                                              : Pretrain::Both;
  c.train.pretrain_epochs = o.epochs;
  c.train.turn_epochs = o.epochs;
  c.train.epochs = o.epochs;
  if (o.patience > 0) {
    c.train.pretrain_patience = o.patience;
    c.train.turn_patience = o.patience;
    c.train.patience = o.patience;
  }
  c.seed = o.seed;
  c.name = o.model;
  Rng count_rng(o.seed);  // a throwaway model, only to report the size of the mixture
  e.num_parameters =
      mowst::make_mowst(c.model, data.num_features(), data.num_classes, count_rng)->num_parameters();
  const mowst::MowstReport report = mowst::run_mowst(data.graph, data.features, data.num_classes,
                                                     splits, c);
  for (std::size_t r = 0; r < report.runs.size(); ++r) {
    const mowst::MowstRun& m = report.runs[r];
    RunRecord record;
    record.run = static_cast<Index>(r);
    record.split = split_ids[r];
    record.seed = o.seed + r;
    record.fit.best_epoch = static_cast<Index>(m.fit.curve.size());
    record.fit.best.epoch = record.fit.best_epoch;
    record.fit.best.val_metric = m.val_accuracy;
    record.fit.best.test_metric = m.test_accuracy;
    record.fit.history.resize(m.fit.curve.size());
    if (!o.quiet) {
      char line[200];
      std::snprintf(line, sizeof line,
                    "run %zu: val %.4f, test %.4f (sampled routing %.4f), %.1f%% of test nodes "
                    "routed to the weak expert\n",
                    r, m.val_accuracy, m.test_accuracy, m.test_sampled_accuracy,
                    100.0 * m.analysis.fraction_weak);
      log << line << std::flush;
    }
    e.runs.push_back(std::move(record));
  }
}

}  // namespace

Experiment run_experiment(const AppOptions& o, std::ostream& log) {
  Experiment e;
  const Device device = resolve_device(o);
  e.device = std::string(to_string(device));
  const datasets::NodeDataset data = load(o);
  const Tensor features = data.features.to(device);  // once for every run
  e.dataset = {data.name, data.num_nodes(), data.graph.num_edges(), data.num_features(),
               data.num_classes};
  if (is_mowst(o)) run_mowst_experiment(o, data, e, log);
  for (Index r = 0; r < (is_mowst(o) ? 0 : o.runs); ++r) {
    const std::uint64_t seed = o.seed + static_cast<std::uint64_t>(r);
    RunRecord record;
    record.run = r;
    record.seed = seed;
    training::NodeSplit split = split_for(o, data, r, seed, record.split);
    Rng init(seed);
    std::unique_ptr<models::NodeModel> model =
        models::make_node_model(o.model, model_options(o, data), init);
    e.num_parameters = model->num_parameters();
    model->to(device);
    record.fit = train_one(o, data, features, *model, std::move(split), r, seed);
    if (!o.quiet) {
      char line[160];
      std::snprintf(line, sizeof line, "run %lld: best epoch %lld, val %.4f, test %.4f\n",
                    static_cast<long long>(r), static_cast<long long>(record.fit.best_epoch),
                    record.fit.best.val_metric, record.fit.best.test_metric);
      log << line << std::flush;
    }
    e.runs.push_back(std::move(record));
  }
  std::vector<double> val, test;
  for (const RunRecord& r : e.runs) {
    val.push_back(r.fit.best.val_metric);
    test.push_back(r.fit.best.test_metric);
  }
  e.val = training::mean_std(val);
  e.test = training::mean_std(test);
  return e;
}

}  // namespace moegnn::apps
