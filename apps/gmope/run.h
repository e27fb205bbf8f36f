// SPDX-License-Identifier: Apache-2.0
// moegnn-gmope's commands: pretrain (sources -> checkpoint), finetune (the transfer arms on a
// target, over runs), evaluate (a checkpoint on a target); results printed and written as JSON.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "models/training/repeat.h"
#include "apps/gmope/options.h"

namespace moegnn::apps {

// One point of the fine-tuning grid and its mean validation metric over the runs.
struct GridPoint {
  float lr = 0.0f;
  float weight_decay = 0.0f;
  double val = 0.0;
};

// An arm at its chosen grid point (the best mean validation metric; the first point on ties).
struct ArmResult {
  std::string arm;
  std::vector<models::FinetuneResult> runs;
  training::MeanStd val, test, entropy;
  double epoch_seconds = 0.0;  // median over runs
  Index trainable_parameters = 0;
  float lr = 0.0f, weight_decay = 0.0f;
  std::vector<GridPoint> grid;  // every point tried, in --lr x --weight-decay order
};

struct GmopeReport {
  std::string command;
  std::string model;  // describe() of the pretrained model
  std::vector<std::string> sources;
  std::vector<double> pretrain_loss;
  std::vector<double> pretrain_entropy;  // per source
  double pretrain_seconds = 0.0;
  std::string target, task, metric;
  std::vector<ArmResult> arms;
  // evaluate
  double target_entropy = 0.0;
  std::vector<double> expert_usage;
  double zero_shot_auc = 0.0;
  double orthogonality = 0.0;
  double wall_seconds = 0.0;
};

// Runs options.command. Progress lines go to `log` unless quiet. Throws what loading, training
// and I/O throw.
GmopeReport run_gmope(const GmopeAppOptions& options, std::ostream& log);
void print_gmope_report(std::ostream& out, const GmopeReport& report);
void write_gmope_report(const std::filesystem::path& path, const GmopeAppOptions& options,
                        const GmopeReport& report);

}  // namespace moegnn::apps
