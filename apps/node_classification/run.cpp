// SPDX-License-Identifier: Apache-2.0
// moegnn-node-classification's experiment: data, splits, the method per run, summary.
#include "apps/node_classification/run.h"

#include <cstdio>

#include <fmt/format.h>

#include "core/device.h"
#include "core/error.h"
#include "datasets/binary_cache.h"
#include "datasets/powerlaw.h"
#include "datasets/registry.h"
#include "datasets/split.h"
#include "models/methods.h"

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
  // Not a registered name: a 'moegnn-data generate' directory or a 'moegnn-data convert' file.
  const std::string name = datasets::canonical_dataset_name(o.dataset);
  bool registered = false;
  for (const datasets::DatasetInfo& info : datasets::list_datasets())
    registered = registered || info.name == name;
  const datasets::RegistryOptions by_path{.normalize_features = o.normalize_features};
  if (!registered && std::filesystem::is_directory(o.dataset)) {
    if (std::filesystem::exists(std::filesystem::path(o.dataset) / "manifest.npy"))
      return datasets::load_powerlaw(o.dataset);
    return datasets::load_node_dataset_file(o.dataset, by_path);  // a MUSAE Twitch folder
  }
  if (!registered && std::filesystem::is_regular_file(o.dataset))  // .npz, .mat or a cache file
    return datasets::load_node_dataset_file(o.dataset, by_path);
  const std::filesystem::path dir = o.data_dir.empty() ? datasets::default_data_dir() : o.data_dir;
  datasets::RegistryOptions options{.download = o.download,
                                    .normalize_features = o.normalize_features};
  options.download_options.allow_unverified = o.allow_unverified;
  return datasets::load_node_dataset(o.dataset, dir, options);
}

// Run r's split: the public one, published split r mod their number (Geom-GCN, LINKX), or a
// 60/20/20 split from its seed.
training::LabeledSplit split_for(const AppOptions& o, const datasets::NodeDataset& d, Index run,
                              std::uint64_t seed, Index& split_index) {
  split_index = -1;
  if (o.split == SplitKind::Published) {
    MOEGNN_CHECK_AS(InvalidArgument, "--split", !d.splits.empty(), "dataset '", d.name,
                    "' has no published splits (Geom-GCN's or LINKX's) vs at least one; use "
                    "--split public or random");
    split_index = run % static_cast<Index>(d.splits.size());
    return {d.splits[static_cast<std::size_t>(split_index)], d.labels};
  }
  if (o.split == SplitKind::Random) {
    return {datasets::random_split(d.num_nodes(), 0.6, 0.2, seed), d.labels};
  }
  return {{d.train, d.val, d.test}, d.labels};
}

// --device: "cpu", "cuda" (an error naming why when it cannot be used) or "auto". The CUDA path
// covers full-batch training of the methods that support it; "auto" picks the CPU for the rest.
Device resolve_device(const AppOptions& o, const models::NodeMethodEntry& method) {
  const Device device = parse_device(o.device);
  if (device == Device::Cpu) return device;
  const bool cuda_path = method.supports_cuda && o.batch_size == 0;
  if (o.device == "auto") return cuda_path ? Device::Cuda : Device::Cpu;
  MOEGNN_CHECK_AS(Unsupported, "--device", method.supports_cuda, "cuda with --model ", o.model,
                  " vs a model with CUDA kernels: it trains on the CPU; use --device cpu or auto");
  MOEGNN_CHECK_AS(Unsupported, "--device", o.batch_size == 0, "cuda with --batch-size ",
                  o.batch_size, " vs 0: neighbour-sampled training runs on the CPU; use "
                  "--device cpu or auto");
  return device;
}

// --metric: the flag's choice, or for auto the dataset's.
training::Metric metric_for(const AppOptions& o, const datasets::NodeDataset& d) {
  if (o.metric == "acc") return training::Metric::Accuracy;
  if (o.metric == "f1") return training::Metric::MacroF1;
  if (o.metric == "auc") return training::Metric::RocAuc;
  return d.metric == "roc_auc" ? training::Metric::RocAuc : training::Metric::Accuracy;
}

std::string metric_key(training::Metric m) {
  return m == training::Metric::Accuracy ? "accuracy"
         : m == training::Metric::MacroF1 ? "macro_f1"
                                          : "roc_auc";
}

models::NodeTraining training_for(const AppOptions& o, Index run, std::uint64_t seed,
                                  Device device, training::Metric metric) {
  const training::Monitor monitor = o.monitor;
  models::NodeTraining t;
  t.train = {.epochs = o.epochs,
             .lr = o.lr,
             .weight_decay = o.weight_decay,
             .seed = seed,
             .metric = metric,
             .select_on = monitor,
             .early_stopping = {.patience = o.patience, .monitor = monitor},
             .log_path = training::run_path(o.log, run),
             .progress = !o.quiet,
             .progress_label = o.runs > 1 ? "run " + std::to_string(run + 1) + "/" +
                                                std::to_string(o.runs)
                                          : std::string(),
             .checkpoint_path = training::run_path(o.save, run),
             .resume = o.resume,
             .override_hyperparameters = o.override_hyperparameters};
  if (o.batch_size > 0)
    t.sampling = training::SamplingOptions{.fanouts = o.fanouts, .batch_size = o.batch_size};
  t.device = device;
  return t;
}

void print_run(std::ostream& log, const RunRecord& r) {
  log << fmt::format("run {}: best epoch {}, val {:.4f}, test {:.4f}", r.run, r.fit.best_epoch,
                     r.fit.best.val_metric, r.fit.best.test_metric);
  for (const auto& [key, value] : r.fit.extras) log << fmt::format(", {} {:.4g}", key, value);
  log << "\n" << std::flush;
}

}  // namespace

Experiment run_experiment(const AppOptions& o, std::ostream& log) {
  const models::NodeMethodEntry method = models::node_method(o.model);
  const models::ModelConfig config = model_config(o);
  MOEGNN_CHECK_AS(InvalidArgument, "--batch-size", o.batch_size == 0 || method.supports_sampling,
                  "got ", o.batch_size, " vs 0: ", o.model, " trains full batch");
  Experiment e;
  const Device device = resolve_device(o, method);
  e.device = std::string(to_string(device));
  const datasets::NodeDataset data = load(o);
  const training::Metric metric = metric_for(o, data);
  e.metric = metric_key(metric);
  MOEGNN_CHECK_AS(InvalidArgument, "--metric", metric == training::Metric::Accuracy ||
                      method.supports_other_metrics,
                  e.metric, " with --model ", o.model, " vs accuracy: the method selects and "
                  "reports accuracy only; use --metric acc");
  MOEGNN_CHECK_AS(InvalidArgument, "--metric", metric != training::Metric::RocAuc ||
                      data.num_classes == 2,
                  "auc on '", data.name, "' with ", data.num_classes,
                  " classes vs binary labels; use --metric acc or f1");
  const Tensor features = data.features.to(device);  // once for every run
  e.dataset = {data.name, data.num_nodes(), data.graph.num_edges(), data.num_features(),
               data.num_classes};
  e.model = method.summary(config);
  e.num_parameters = method.num_parameters(config, {data.num_features(), data.num_classes});
  std::vector<training::FitResult> fits;
  for (Index r = 0; r < o.runs; ++r) {
    const std::uint64_t seed = o.seed + static_cast<std::uint64_t>(r);
    RunRecord record;
    record.run = r;
    record.seed = seed;
    const models::NodeRun run{data.graph, features, data.num_classes,
                              split_for(o, data, r, seed, record.split), config,
                              training_for(o, r, seed, device, metric)};
    record.fit = method.run(run);
    if (!o.quiet) print_run(log, record);
    fits.push_back(record.fit);
    e.runs.push_back(std::move(record));
  }
  e.summary = training::summarize_runs(std::move(fits));
  return e;
}

}  // namespace moegnn::apps
