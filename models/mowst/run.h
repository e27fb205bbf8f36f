// SPDX-License-Identifier: Apache-2.0
// run_mowst: the one call the app makes for --model mowst|mowst-star. Given a graph, features and
// one or more splits, it builds a Mowst per run (seed + run), trains it, evaluates it the way the
// reference reports (Mowst: accuracy expected under random routing, with the mean of m sampled
// routings beside it; Mowst*: the deterministic mixture prediction) and returns per-run results,
// the analysis of the test nodes, mean ± std, and optionally writes the analysis files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "graph/csr.h"
#include "models/mowst/analysis.h"
#include "models/mowst/mowst.h"
#include "models/mowst/train.h"
#include "models/training/options.h"
#include "models/training/repeat.h"

namespace moegnn::mowst {

struct MowstConfig {
  MowstModelOptions model{};
  // train.seed is replaced by seed + run; run r > 0 writes its checkpoint and log to
  // training::run_path(path, r).
  MowstTrainOptions train{};
  Index runs = 0;             // 0: one run per split; otherwise run r uses split r % splits
  std::uint64_t seed = 1;     // run r: parameters and dropout from seed + r
  Index m_times = 50;         // routing draws behind the sampled accuracy
  // When set, each run writes <output_dir>/<name>_run<r>.svg (confidence histogram and curves) and
  // <name>_run<r>_confidence.csv.
  std::filesystem::path output_dir{};
  std::string name = "mowst";
};

struct MowstRun {
  double train_accuracy = 0.0;  // on the training nodes, as the test number is computed
  double val_accuracy = 0.0;   // selection score (Mowst: expected; Mowst*: mixture accuracy)
  double test_accuracy = 0.0;  // the reported number (Mowst: expected; Mowst*: mixture)
  double test_sampled_accuracy = 0.0;  // Mowst: mean over m_times routings; Mowst*: = test
  MowstAnalysis analysis;              // over the test nodes
  MowstFit fit;
};

struct MowstReport {
  std::vector<MowstRun> runs;
  // val_metric, test_metric, and extras "test_sampled", "fraction_weak" (realised, test nodes),
  // "weak_accuracy" / "strong_accuracy" (on the test nodes routed to each, runs where any were),
  // "rounds".
  training::RepeatResult summary;
};

// raw: the dataset's graph (each expert prepares its own); x: num_nodes × F; splits: each with
// labels for every node. Throws InvalidArgument for no splits, runs < 0, or as make_mowst /
// train_mowst; IoError when the analysis files cannot be written.
MowstReport run_mowst(const graph::Csr& raw, const Tensor& x, Index num_classes,
                      const std::vector<training::LabeledSplit>& splits, const MowstConfig& config);

}  // namespace moegnn::mowst
