// SPDX-License-Identifier: Apache-2.0
// Flag definitions of moegnn-gmope; model flags come from GmopeOptions::fields().
#include "apps/gmope/options.h"

#include "models/gmope/gmope.h"
#include "apps/build_info.h"
#include "apps/cli/json_config.h"
#include "apps/cli/validators.h"

namespace moegnn::apps {
namespace {

void add_model_flags(CLI::App& app, GmopeAppOptions& o) {
  app.add_option("--model-config", o.model_config,
                 "GMoPE options as key=value,... (e.g. experts=4,top-k=2); wins over the flags");
  for (const models::OptionInfo& info : models::describe_options<models::GmopeOptions>()) {
    std::string help = info.help;
    help += " (default ";
    help += info.value;
    help += ")";
    CLI::Option* option =
        info.type == "bool"
            ? app.add_flag("--" + info.key + "{true}", o.model_flags[info.key], help)
            : app.add_option("--" + info.key, o.model_flags[info.key], help);
    option->group("Model options (pretraining, scratch)");
    o.model_flag_options[info.key] = option;
  }
}

}  // namespace

void add_gmope_flags(CLI::App& app, GmopeAppOptions& o) {
  app.set_version_flag("--version", gmope_app_version_line());
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.config_formatter(std::make_shared<JsonConfig>());
  app.set_config("--config", "", "JSON file of flags ({\"flag-name\": value})");
  const std::map<std::string, GmopeCommand> commands{{"pretrain", GmopeCommand::Pretrain},
                                                     {"finetune", GmopeCommand::Finetune},
                                                     {"evaluate", GmopeCommand::Evaluate}};
  app.add_option("command", o.command,
                 "pretrain (sources -> --save checkpoint), finetune (the arms on --target), or "
                 "evaluate (a checkpoint on --target: expert usage, zero-shot link AUC)")
      ->transform(one_of(commands))
      ->default_str(enum_name(commands, o.command));
  app.add_option("--sources", o.sources,
                 "pretraining graphs: generated-<x>, registry node sets, mutag/proteins/enzymes, "
                 "or paths")
      ->delimiter(',')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->capture_default_str();
  app.add_option("--target", o.target, "the fine-tuning / evaluation graph (same names)")
      ->capture_default_str();
  app.add_option("--data-dir", o.data_dir, "data directory (default: $MOEGNN_DATA_DIR)");
  const std::map<std::string, TargetTask> tasks{
      {"node", TargetTask::Node}, {"link", TargetTask::Link}, {"graph", TargetTask::Graph}};
  app.add_option("--task", o.task, "target task: node, link or graph")
      ->transform(one_of(tasks))
      ->default_str(enum_name(tasks, o.task));
  app.add_option("--shots", o.shots,
                 "k-shot: training (and validation) examples per class; 0: "
                 "the standard split")
      ->check(non_negative())
      ->capture_default_str();
  add_model_flags(app, o);
  app.add_option("--standardize", o.standardize, "standardise the aligned feature columns")
      ->capture_default_str();
  app.add_option("--pretrain-epochs", o.pretrain_epochs, "pretraining epochs")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--pretrain-lr", o.pretrain_lr, "pretraining Adam lr")
      ->check(positive())
      ->capture_default_str();
  const std::map<std::string, models::Pretext> pretexts{
      {"link", models::Pretext::Link},
      {"contrastive", models::Pretext::Contrastive},
      {"both", models::Pretext::Both}};
  app.add_option("--pretext", o.pretext, "pretext task: link, contrastive or both")
      ->transform(one_of(pretexts))
      ->default_str(enum_name(pretexts, o.pretext));
  app.add_option("--orth-weight", o.orth_weight, "λ of the prompt orthogonality loss (pretraining)")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--orth-normalize", o.orth_normalize, "orthogonality on unit-norm prompts")
      ->capture_default_str();
  app.add_option("--balance-weight", o.balance_weight, "λ of the load-balancing loss")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--link-batch", o.link_batch, "pretraining positive edges per step")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--contrast-nodes", o.contrast_nodes, "nodes per InfoNCE")
      ->check(CLI::Range(2, 1 << 20))
      ->capture_default_str();
  app.add_option("--checkpoint", o.checkpoint,
                 "pretrained GMoPE checkpoint (finetune without one pretrains on --sources first)");
  app.add_option("--backbone", o.backbone,
                 "single-backbone checkpoint for the full / gpf / gpf-plus arms (default: "
                 "--checkpoint)");
  app.add_option("--arms", o.arms,
                 "arms: all, or some of scratch, full, gpf, gpf-plus, prompt-only, prompt-router, "
                 "gmope-full")
      ->delimiter(',')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->capture_default_str();
  app.add_option("--epochs", o.epochs, "fine-tuning epochs")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--lr", o.lr,
                 "fine-tuning Adam lr; a list (0.01,0.001) is searched per arm on validation")
      ->check(positive())
      ->delimiter(',')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->capture_default_str();
  app.add_option("--weight-decay", o.weight_decay,
                 "fine-tuning L2 weight decay; a list is searched per arm with --lr")
      ->check(non_negative())
      ->delimiter(',')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->capture_default_str();
  app.add_option("--patience", o.patience, "early stopping on the validation metric (0: never)")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--finetune-orth-weight", o.finetune_orth_weight, "λ_orth while fine-tuning")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--head-dropout", o.head_dropout, "dropout before the task head")
      ->check(CLI::Range(0.0, 0.99))
      ->capture_default_str();
  app.add_option("--runs", o.runs, "seeds seed .. seed + runs - 1 (splits and heads)")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--seed", o.seed, "base seed")->check(non_negative())->capture_default_str();
  app.add_option("--threads", o.threads, "CPU threads (0: all)")
      ->check(non_negative())
      ->capture_default_str();
  app.add_option("--save", o.save, "pretrain: the checkpoint to write (safetensors, atomically)");
  app.add_option("--out", o.out, "write the results as JSON to this file (atomically)");
  app.add_flag("--quiet,-q", o.quiet, "print only the results");
}

std::string gmope_app_version_line() {
  std::string s = "moegnn-gmope ";
  s += kVersion;
  s += " (commit ";
  s += kGitCommit;
  s += ")";
  return s;
}

models::ModelConfig gmope_model_config(const GmopeAppOptions& o) {
  models::ModelConfig config;
  for (const auto& [key, option] : o.model_flag_options)
    if (option->count() > 0) config[key] = o.model_flags.at(key);
  for (auto& [key, value] : models::parse_model_config(o.model_config)) config[key] = value;
  return config;
}

}  // namespace moegnn::apps
