// SPDX-License-Identifier: Apache-2.0
// moegnn-node-classification's distributed mode: flags, the part set, runs, outputs, rank errors.
#include "apps/node_classification/distributed.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "apps/node_classification/run.h"
#include "core/error.h"
#include "dist/comm.h"
#include "dist/part.h"
#include "dist/train.h"
#include "models/methods.h"
#include "models/registry.h"

namespace moegnn::apps {
namespace {

// Flags that mean nothing (or something else) when the data comes from a part set.
void check_distributed_flags(const AppOptions& o) {
  const AppOptions defaults;
  const auto refuse = [](bool ok, const char* flag, const std::string& why) {
    MOEGNN_CHECK_AS(InvalidArgument, flag, ok, why);
  };
  refuse(o.dataset == defaults.dataset && o.data_dir.empty() && !o.download &&
             !o.normalize_features && o.nodes == defaults.nodes,
         "--dataset", "a dataset flag with --distributed vs none: the data comes from the part "
         "set (partition the dataset with moegnn-data partition)");
  refuse(o.split == SplitKind::Public, "--split",
         "geom-gcn or random with --distributed vs public: the parts carry the split they were "
         "written with");
  refuse(o.search.empty(), "--search", "given with --distributed vs a single-process search");
  refuse(o.device != "cuda", "--device", "cuda with --distributed vs cpu or auto");
  refuse(o.metric == "auto" || o.metric == "acc", "--metric",
         o.metric + " with --distributed vs acc: distributed evaluation sums correct counts");
  const std::vector<std::string> models = models::node_model_names();
  refuse(std::find(models.begin(), models.end(), o.model) != models.end(), "--model",
         "'" + o.model + "' with --distributed vs a registered node model (gcn, sage, gat, gin): "
         "mixture methods train on one process");
}

training::TrainOptions train_options(const AppOptions& o, Index run, std::uint64_t seed) {
  return {.epochs = o.epochs,
          .lr = o.lr,
          .weight_decay = o.weight_decay,
          .seed = seed,
          .metric = training::Metric::Accuracy,
          .select_on = o.monitor,
          .early_stopping = {.patience = o.patience, .monitor = o.monitor},
          .log_path = training::run_path(o.log, run),
          .progress = !o.quiet,
          .progress_label = o.runs > 1 ? fmt::format("run {}/{}", run + 1, o.runs) : std::string(),
          .checkpoint_path = training::run_path(o.save, run),
          .resume = o.resume,
          .override_hyperparameters = o.override_hyperparameters};
}

void print_ranks(std::ostream& out, const std::vector<dist::RankSummary>& ranks, Index epochs) {
  out << "\nrank   owned    halo   train  compute s  wait s  MB sent  MB/epoch\n";
  for (const dist::RankSummary& r : ranks)
    out << fmt::format("{:4}  {:6}  {:6}  {:6}  {:9.3f}  {:6.3f}  {:7.2f}  {:8.3f}\n", r.rank,
                       r.owned, r.halo, r.train, r.compute_seconds, r.wait_seconds,
                       static_cast<double>(r.bytes_sent) / 1e6,
                       static_cast<double>(r.bytes_sent) / 1e6 /
                           static_cast<double>(std::max<Index>(epochs, 1)));
}

nlohmann::json ranks_json(const std::vector<dist::RankSummary>& ranks) {
  nlohmann::json out = nlohmann::json::array();
  for (const dist::RankSummary& r : ranks)
    out.push_back({{"rank", r.rank},
                   {"owned", r.owned},
                   {"halo", r.halo},
                   {"train", r.train},
                   {"compute_seconds", r.compute_seconds},
                   {"wait_seconds", r.wait_seconds},
                   {"bytes_sent", r.bytes_sent},
                   {"reduce_bytes", r.reduce_bytes}});
  return out;
}

int run(const AppOptions& o, dist::Communicator& comm, std::ostream& out, std::ostream& err) {
  check_distributed_flags(o);
  const dist::PartsManifest manifest = dist::read_parts_manifest(o.distributed);
  MOEGNN_CHECK_AS(InvalidArgument, "--distributed", manifest.num_parts == comm.size(), "'",
                  o.distributed.string(), "' holds ", manifest.num_parts, " parts vs ",
                  comm.size(), " ranks; launch mpirun -np ", manifest.num_parts);
  const dist::Part part = dist::load_part(o.distributed, comm.rank());
  const models::ModelConfig config = model_config(o);
  const models::NodeMethodEntry method = models::node_method(o.model);
  Experiment e;
  e.dataset = {manifest.dataset_name, manifest.num_global_nodes, manifest.num_edges,
               manifest.num_features, manifest.num_classes};
  e.model = method.summary(config);
  e.device = fmt::format("cpu, {} ranks ({} parts)", comm.size(), manifest.method);
  e.num_parameters =
      method.num_parameters(config, {manifest.num_features, manifest.num_classes});
  std::vector<training::FitResult> fits;
  nlohmann::json per_run = nlohmann::json::array();
  for (Index r = 0; r < o.runs; ++r) {
    RunRecord record;
    record.run = r;
    record.seed = o.seed + static_cast<std::uint64_t>(r);
    std::optional<training::SamplingOptions> sampling;
    if (o.batch_size > 0)
      sampling = training::SamplingOptions{.fanouts = o.fanouts, .batch_size = o.batch_size};
    const dist::DistFitResult fit = dist::train_distributed(
        part, comm, o.model, config, train_options(o, r, record.seed), std::move(sampling));
    record.fit = fit.fit;
    if (comm.rank() == 0) {
      if (!o.quiet)
        err << fmt::format("run {}: best epoch {}, val {:.4f}, test {:.4f}\n", r,
                           record.fit.best_epoch, record.fit.best.val_metric,
                           record.fit.best.test_metric)
            << std::flush;
      if (!o.quiet) print_ranks(err, fit.ranks, static_cast<Index>(fit.fit.history.size()));
    }
    per_run.push_back(ranks_json(fit.ranks));
    fits.push_back(record.fit);
    e.runs.push_back(std::move(record));
  }
  e.summary = training::summarize_runs(std::move(fits));
  e.extra_json["distributed"] = {{"parts_dir", o.distributed.string()},
                                 {"ranks", comm.size()},
                                 {"method", manifest.method},
                                 {"per_rank", per_run}};
  if (comm.rank() == 0) {
    print_results(out, o, e);
    if (!o.out.empty()) write_results(o.out, o, e);
  }
  comm.barrier();
  return 0;
}

}  // namespace

int run_distributed(const AppOptions& o, std::ostream& out, std::ostream& err) {
  std::unique_ptr<dist::MpiSession> session;
  std::unique_ptr<dist::Communicator> comm;
  try {
    if (dist::MpiSession::launched_by_mpirun()) {
      int argc = 0;
      char** argv = nullptr;
      session = std::make_unique<dist::MpiSession>(&argc, &argv);
      comm = dist::make_mpi_communicator();
    } else {
      comm = dist::make_single_communicator();
    }
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
  try {
    return run(o, *comm, out, err);
  } catch (const std::exception& e) {
    if (comm->size() > 1) comm->abort(std::string("error: ") + e.what());  // ends every rank
    err << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace moegnn::apps
