// SPDX-License-Identifier: Apache-2.0
// Flag definitions and the JSON config-file reader of moegnn-node-classification.
#include "apps/node_classification/options.h"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "apps/build_info.h"
#include "apps/cli/json_config.h"
#include "apps/cli/validators.h"
#include "apps/cli/writable.h"
#include "core/error.h"
#include "datasets/registry.h"
#include "models/methods.h"

namespace moegnn::apps {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

void add_data_flags(CLI::App& app, AppOptions& o) {
  std::vector<std::string> names{"csbm"};
  for (const auto& info : datasets::list_datasets())
    if (info.kind == datasets::DatasetKind::Node && info.name != "csbm") names.push_back(info.name);
  app.add_option("--dataset", o.dataset,
                 "dataset: csbm (embedded generated graph), a registry name (PyG's spellings "
                 "too: actor, computers, ...), or a path to a 'moegnn-data convert' cache file "
                 "or a 'moegnn-data generate' directory")
      ->check([names](const std::string& value) -> std::string {
        const std::string name = datasets::canonical_dataset_name(value);
        if (std::find(names.begin(), names.end(), name) != names.end()) return "";
        if (std::filesystem::exists(value)) return "";  // a cache file or generated directory
        const std::string guess = models::closest_match(value, names);
        return "dataset '" + value + "' vs csbm, a node dataset of the registry (" +
               joined(names) + ") or an existing path" +
               (guess.empty() ? "" : "; did you mean '" + guess + "'?");
      })
      ->capture_default_str();
  app.add_option("--data-dir", o.data_dir, "data directory (default: $MOEGNN_DATA_DIR)");
  app.add_option("--split", o.split,
                 "public: the dataset's split; geom-gcn (or fixed): run r uses the dataset's "
                 "published split r mod their number (Geom-GCN's 10, LINKX's 5); random: 60/20/20 "
                 "drawn from the seed of each run")
      ->transform(one_of(split_names()))
      ->default_str(split_name(o.split));
  app.add_flag("--normalize-features,!--no-normalize-features", o.normalize_features,
               "row-normalise the features (Kipf & Welling's preprocessing)");
  app.add_flag("--download", o.download, "download missing dataset files");
  app.add_flag("--allow-unverified", o.allow_unverified,
               "with --download: accept files that have no recorded SHA-256 (as moegnn-data)");
  app.add_option("--nodes", o.nodes, "csbm: nodes of the generated graph")
      ->check(CLI::Range(10, 100000000))->capture_default_str();
  app.add_option("--homophily", o.homophily, "csbm: fraction of intra-class edges, in [0, 1]")
      ->capture_default_str();
  app.add_option("--feature-signal", o.feature_signal, "csbm: class-mean norm vs unit noise")
      ->capture_default_str();
}

void add_model_flags(CLI::App& app, AppOptions& o) {
  const std::vector<std::string> methods = models::node_method_names();
  app.add_option("--model", o.model, "model: " + joined(methods))
      ->check(CLI::IsMember(methods))
      ->capture_default_str();
  app.add_option("--metric", o.metric,
                 "reported and selected-on metric: auto (the dataset's paper's: ROC-AUC for "
                 "minesweeper, tolokers, questions; else accuracy), acc, f1 (macro) or auc "
                 "(binary labels)")
      ->check(CLI::IsMember({"auto", "acc", "f1", "auc"}))
      ->capture_default_str();
  app.add_option("--preset", o.preset,
                 "shipped settings from configs/ under the flags given: 'paper' (the config for "
                 "this --dataset and --model, e.g. GAT's on cora) or a name such as "
                 "geom-gcn/texas-gcn");
  app.add_option("--model-config", o.model_config,
                 "model options as key=value,... (e.g. hidden=64,heads=8); wins over the flags "
                 "below");
  // One flag per option key of the registered models and methods; the model checks the value.
  for (const models::OptionInfo& info : models::all_node_options()) {
    std::string help = info.help;
    if (!info.choices.empty()) help += ": " + joined(info.choices);
    help += " (default " + (info.value.empty() ? std::string("none") : info.value) + ")";
    CLI::Option* option = nullptr;
    if (info.type == "bool") {
      option = app.add_flag("--" + info.key + "{true}", o.model_flags[info.key], help);
    } else {
      option = app.add_option("--" + info.key, o.model_flags[info.key], help)
                   ->type_name(info.type == "choice" ? "TEXT" : "VALUE");
    }
    option->group("Model options (--model decides which apply)");
    o.model_flag_options[info.key] = option;
  }
}

void add_training_flags(CLI::App& app, AppOptions& o) {
  app.add_option("--lr", o.lr, "Adam learning rate, > 0")
      ->check(positive())->capture_default_str();
  app.add_option("--weight-decay", o.weight_decay, "L2 weight decay, >= 0")
      ->check(non_negative())->capture_default_str();
  app.add_option("--epochs", o.epochs, "maximum epochs")
      ->check(at_least_one())->capture_default_str();
  app.add_option("--patience", o.patience,
                 "stop after this many epochs without validation improvement (0: never)")
      ->check(non_negative())->capture_default_str();
  app.add_option("--monitor", o.monitor,
                 "validation quantity for model selection and early stopping: acc, loss, or "
                 "loss+acc (GAT's rule: best when acc >= and loss <= the best so far; patience "
                 "restarts when either holds)")
      ->transform(one_of(monitor_names()))
      ->default_str(monitor_name(o.monitor));
  app.add_option("--runs", o.runs, "repeated runs (seeds seed .. seed + runs - 1)")
      ->check(at_least_one())->capture_default_str();
  app.add_option("--batch-size", o.batch_size,
                 "training seeds per neighbour-sampled mini-batch (0: full batch)")
      ->check(non_negative())->capture_default_str();
  app.add_option("--fanouts", o.fanouts,
                 "neighbours sampled per layer, input layer first (-1: all); one per layer")
      ->expected(1, 16)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->capture_default_str();
  app.add_option("--threads", o.threads, "CPU threads (0: all)")
      ->check(non_negative())->capture_default_str();
  app.add_option("--seed", o.seed, "seed of run 0 (model init, dropout, sampling, csbm graph)")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--device", o.device, "cpu, cuda or auto (auto: cuda when built with it and "
                                       "a GPU is present, else cpu)")
      ->check(CLI::IsMember({"cpu", "cuda", "auto"}))->capture_default_str();
}

void add_output_flags(CLI::App& app, AppOptions& o) {
  app.add_option("--save", o.save, "checkpoint file (safetensors), written every epoch");
  app.add_flag("--resume", o.resume, "continue each run from its --save checkpoint if present");
  app.add_flag("--override", o.override_hyperparameters,
               "with --resume: accept other --epochs, --lr, --weight-decay, --patience or "
               "--monitor than the checkpoint records (refused otherwise)");
  app.add_option("--out", o.out, "write the results as JSON to this file (atomically)");
  app.add_option("--log", o.log, "write a JSON-lines training log (one line per epoch)");
  app.add_flag("--quiet,-q", o.quiet, "print only the results table");
  app.add_option("--search", o.search,
                 "model selection: grid or random over --search-space; each point scored by "
                 "mean validation metric over the runs, points trained concurrently")
      ->check(CLI::IsMember({"grid", "random"}));
  app.add_option("--search-space", o.search_space,
                 "JSON {\"flag\": [values]} (grid or random) or {\"flag\": {\"min\": a, "
                 "\"max\": b, \"log\": true}} (random) over any flag: lr, weight-decay, "
                 "dropout, hidden, layers, normalize-features, the model's options")
      ->check(CLI::ExistingFile);
  app.add_option("--search-trials", o.search_trials, "random search: points to draw")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--distributed", o.distributed,
                 "train data-parallel over MPI on this part set (moegnn-data partition); launch "
                 "with mpirun -np <parts>");
}

}  // namespace

const std::map<std::string, SplitKind>& split_names() {
  static const std::map<std::string, SplitKind> names{{"public", SplitKind::Public},
                                                      {"geom-gcn", SplitKind::Published},
                                                      {"fixed", SplitKind::Published},
                                                      {"random", SplitKind::Random}};
  return names;
}

const std::map<std::string, training::Monitor>& monitor_names() {
  static const std::map<std::string, training::Monitor> names{
      {"acc", training::Monitor::ValMetric},
      {"loss", training::Monitor::ValLoss},
      {"loss+acc", training::Monitor::ValLossAndMetric}};
  return names;
}

std::string split_name(SplitKind split) {
  return split == SplitKind::Published ? "geom-gcn" : enum_name(split_names(), split);
}

std::string monitor_name(training::Monitor monitor) { return enum_name(monitor_names(), monitor); }

void add_flags(CLI::App& app, AppOptions& options) {
  app.set_version_flag("--version", version_line());
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.config_formatter(std::make_shared<JsonConfig>());
  app.set_config("--config", "", "read flags from a JSON file {\"flag\": value}; the command line "
                                 "overrides it");
  app.allow_config_extras(CLI::config_extras_mode::error);
  add_data_flags(app, options);
  add_model_flags(app, options);
  add_training_flags(app, options);
  add_output_flags(app, options);
}

std::string version_line() {
  return version_text("moegnn-node-classification");
}

void check_flags(const AppOptions& o) {
  check_writable("--out", o.out);
  check_writable("--save", o.save);
  check_writable("--log", o.log);
  MOEGNN_CHECK_AS(InvalidArgument, "--resume", !o.resume || !o.save.empty(),
                  "no checkpoint to resume from vs --save FILE; pass the file the first run saved");
  MOEGNN_CHECK_AS(InvalidArgument, "--override", !o.override_hyperparameters || o.resume,
                  "given without --resume vs with it (it only applies to resuming)");
  MOEGNN_CHECK_AS(InvalidArgument, "--search-space", o.search.empty() || !o.search_space.empty(),
                  "missing with --search ", o.search, " vs a JSON file of the flags to search");
  MOEGNN_CHECK_AS(InvalidArgument, "--search", o.search.empty() || (o.save.empty() && !o.resume),
                  "with --save or --resume vs without: a search keeps no checkpoints; save the "
                  "chosen point's run instead");
}

models::ModelConfig model_config(const AppOptions& o) {
  models::ModelConfig config;
  for (const auto& [key, option] : o.model_flag_options)
    if (option->count() > 0) config[key] = o.model_flags.at(key);
  for (auto& [key, value] : models::parse_model_config(o.model_config)) config[key] = value;
  return config;
}

nlohmann::json options_json(const AppOptions& o) {
  // Floats as their shortest decimal (0.01, not 0.009999999776).
  const auto f = [](float v) {
    std::ostringstream text;
    text << std::setprecision(7) << v;
    return std::stod(text.str());
  };
  nlohmann::json out{{"dataset", o.dataset},
                     {"data-dir", o.data_dir.string()},
                     {"split", split_name(o.split)},
                     {"normalize-features", o.normalize_features},
                     {"nodes", o.nodes},
                     {"homophily", o.homophily},
                     {"feature-signal", o.feature_signal},
                     {"model", o.model},
                     {"lr", f(o.lr)},
                     {"weight-decay", f(o.weight_decay)},
                     {"epochs", o.epochs},
                     {"patience", o.patience},
                     {"monitor", monitor_name(o.monitor)},
                     {"runs", o.runs},
                     {"batch-size", o.batch_size},
                     {"fanouts", o.fanouts},
                     {"threads", o.threads},
                     {"seed", o.seed},
                     {"device", o.device}};
  if (!o.distributed.empty()) out["distributed"] = o.distributed.string();
  for (const auto& [key, value] : model_config(o)) out[key] = value;  // the options given
  return out;
}

}  // namespace moegnn::apps
