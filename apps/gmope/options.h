// SPDX-License-Identifier: Apache-2.0
// Flags of moegnn-gmope, as plain data (tests and the run code share them).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/types.h"
#include "models/gmope/finetune.h"
#include "models/gmope/pretrain.h"
#include "models/options.h"

namespace moegnn::apps {

enum class GmopeCommand { Pretrain, Finetune, Evaluate };
enum class TargetTask { Node, Link, Graph };

struct GmopeAppOptions {
  GmopeCommand command = GmopeCommand::Finetune;
  // Data: "generated" / "generated-<x>" (CSBM graphs, feature width by name), a node dataset of
  // the registry (cora, citeseer, chameleon, texas, wisconsin, cornell, fb100-cornell5,
  // twitch-de, ...), a TU set (mutag, proteins, enzymes), or a path.
  std::vector<std::string> sources{"generated-a", "generated-b"};
  std::string target = "generated";
  std::filesystem::path data_dir{};
  TargetTask task = TargetTask::Node;
  Index shots = 0;  // k-shot per class (0: the dataset's standard split)
  // Model (pretraining, or the scratch arm without a checkpoint).
  std::string model_config{};
  std::map<std::string, std::string> model_flags{};
  std::map<std::string, CLI::Option*> model_flag_options{};
  bool standardize = true;  // column standardisation after the SVD alignment
  // Pretraining.
  Index pretrain_epochs = 50;
  float pretrain_lr = 0.005f;
  models::Pretext pretext = models::Pretext::Both;
  float orth_weight = 0.1f;
  bool orth_normalize = true;
  float balance_weight = 0.0f;
  Index link_batch = 2048;
  Index contrast_nodes = 256;
  // Fine-tuning.
  std::filesystem::path checkpoint{};  // the pretrained GMoPE (empty: pretrain on --sources first)
  std::filesystem::path backbone{};    // the single-backbone checkpoint of full / gpf / gpf-plus
  std::vector<std::string> arms{"all"};
  Index epochs = 200;
  // Fine-tuning lr and weight decay: several values form a grid, searched per arm; the point with
  // the best mean validation metric over the runs is kept (test chooses nothing).
  std::vector<float> lr{0.01f};
  std::vector<float> weight_decay{5e-4f};
  Index patience = 50;
  float finetune_orth_weight = 0.0f;
  float head_dropout = 0.0f;
  Index runs = 1;
  std::int64_t seed = 1;
  Index threads = 0;
  // Output.
  std::filesystem::path save{};  // pretrain: the checkpoint written
  std::filesystem::path out{};
  bool quiet = false;
};

void add_gmope_flags(CLI::App& app, GmopeAppOptions& options);
std::string gmope_app_version_line();
// Model options from the flags and --model-config (the latter wins). Throws InvalidArgument.
models::ModelConfig gmope_model_config(const GmopeAppOptions& options);

// The arms of issue 20's transfer table, in table order.
inline const std::vector<std::string> kArms{"scratch",     "full",          "gpf",       "gpf-plus",
                                            "prompt-only", "prompt-router", "gmope-full"};

}  // namespace moegnn::apps
