// SPDX-License-Identifier: Apache-2.0
// Flag definitions of moegnn-graph-classification; model flags come from the graph-model
// registry's option lists.
#include "apps/graph_classification/options.h"

#include "models/graph/graph_registry.h"
#include "apps/build_info.h"
#include "apps/cli/validators.h"

namespace moegnn::apps {
namespace {

void add_model_flags(CLI::App& app, GraphAppOptions& o) {
  app.add_option("--model", o.model, "graph model: gin")
      ->check(CLI::IsMember(models::graph_model_names()))
      ->capture_default_str();
  app.add_option("--model-config", o.model_config,
                 "model options as key=value,... (e.g. hidden=32,pool=mean); wins over the flags");
  for (const models::GraphModelEntry& entry : models::graph_model_entries())
    for (const models::OptionInfo& info : entry.options()) {
      if (o.model_flag_options.count(info.key) > 0) continue;
      std::string help = info.help;
      help += " (default ";
      help += info.value;
      help += ")";
      CLI::Option* option =
          info.type == "bool"
              ? app.add_flag("--" + info.key + "{true}", o.model_flags[info.key], help)
              : app.add_option("--" + info.key, o.model_flags[info.key], help);
      option->group("Model options");
      o.model_flag_options[info.key] = option;
    }
}

}  // namespace

void add_graph_app_flags(CLI::App& app, GraphAppOptions& o) {
  app.set_version_flag("--version", graph_app_version_line());
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--dataset", o.dataset,
                 "random (generated labelled graphs), mutag, proteins, enzymes (TU sets under "
                 "<data-dir>/tu), an ogbg-* folder under <data-dir>, or a TU / OGB folder path")
      ->capture_default_str();
  app.add_option("--data-dir", o.data_dir, "data directory (default: $MOEGNN_DATA_DIR)");
  app.add_option("--graphs", o.graphs, "random: graphs generated")
      ->check(CLI::Range(10, 10000000))
      ->capture_default_str();
  app.add_option("--folds", o.folds, "stratified folds (datasets without a split of their own)")
      ->check(CLI::Range(3, 100))
      ->capture_default_str();
  app.add_option("--fold", o.only_folds, "run only these folds (1-based)")
      ->expected(1, 100)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(at_least_one());
  app.add_option("--runs", o.runs, "datasets with their own split: repeated runs")
      ->check(at_least_one())
      ->capture_default_str();
  add_model_flags(app, o);
  app.add_option("--lr", o.lr, "Adam learning rate, > 0")->check(positive())->capture_default_str();
  app.add_option("--weight-decay", o.weight_decay, "L2 weight decay, >= 0")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--epochs", o.epochs, "epochs per fold")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--patience", o.patience, "early stopping on validation accuracy (0: never)")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--batch-size", o.batch_size, "training graphs per step")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--threads", o.threads, "CPU threads (0: all)")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--seed", o.seed, "seed of the folds, the random graphs and fold 1's model")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--save", o.save, "checkpoint file (safetensors) per fold, written every epoch");
  app.add_flag("--resume", o.resume, "continue each fold from its --save checkpoint if present");
  app.add_option("--out", o.out, "write the results as JSON to this file (atomically)");
  app.add_option("--log", o.log, "JSON-lines training log per fold");
  app.add_flag("--quiet,-q", o.quiet, "print only the results");
}

std::string graph_app_version_line() {
  std::string s = "moegnn-graph-classification ";
  s += kVersion;
  s += " (commit ";
  s += kGitCommit;
  s += ")";
  return s;
}

models::ModelConfig graph_model_config(const GraphAppOptions& o) {
  models::ModelConfig config;
  for (const auto& [key, option] : o.model_flag_options)
    if (option->count() > 0) config[key] = o.model_flags.at(key);
  for (auto& [key, value] : models::parse_model_config(o.model_config)) config[key] = value;
  return config;
}

}  // namespace moegnn::apps
