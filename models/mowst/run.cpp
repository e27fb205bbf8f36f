// SPDX-License-Identifier: Apache-2.0
// run_mowst: repeated Mowst / Mowst* runs with evaluation, analysis and summary.
#include "models/mowst/run.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "core/ops/reduce.h"
#include "models/mowst/inference.h"
#include "models/training/metrics.h"

namespace moegnn::mowst {
namespace {

MowstRun run_once(const graph::Csr& raw, const Tensor& x, Index num_classes,
                  const training::LabeledSplit& split, const MowstConfig& config, Index r) {
  const std::uint64_t seed = config.seed + static_cast<std::uint64_t>(r);
  Rng rng(seed);
  auto model = make_mowst(config.model, x.cols(), num_classes, rng);
  const MowstGraphs graphs = model->prepare(raw);
  MowstTrainOptions train = config.train;
  train.seed = seed;
  train.checkpoint_path = training::run_path(config.train.checkpoint_path, r);
  train.log_path = training::run_path(config.train.log_path, r);
  MowstRun run;
  run.fit = train_mowst(*model, graphs, x, split, num_classes, train);
  // Evaluation as the reference reports it.
  const Tensor z1 = eval_logits(model->weak(), graphs.weak, x);
  const Tensor z2 = eval_logits(model->strong(), graphs.strong, x);
  const Tensor c = eval_confidence(*model, z1, x);
  if (train.variant == Variant::Mowst) {
    const IndexArray32 p1 = ops::argmax_rows(z1), p2 = ops::argmax_rows(z2);
    run.train_accuracy = expected_accuracy(p1, p2, c, split.labels, split.train);
    run.val_accuracy = expected_accuracy(p1, p2, c, split.labels, split.val);
    run.test_accuracy = expected_accuracy(p1, p2, c, split.labels, split.test);
    run.test_sampled_accuracy =
        sampled_accuracy(p1, p2, c, split.labels, split.test, config.m_times, seed ^ 0x5eedULL);
  } else {
    const IndexArray32 p = mixture_predictions(z1, z2, c);
    run.train_accuracy = training::accuracy(p, split.labels, split.train);
    run.val_accuracy = training::accuracy(p, split.labels, split.val);
    run.test_accuracy = training::accuracy(p, split.labels, split.test);
    run.test_sampled_accuracy = run.test_accuracy;
  }
  run.analysis = analyse(*model, graphs, x, split.labels, split.test, train.variant, seed);
  if (!config.output_dir.empty()) {
    const std::string stem = config.name + "_run" + std::to_string(r);
    write_text_atomic(config.output_dir / (stem + ".svg"),
                      analysis_svg(run.analysis, split.test, run.fit.curve,
                                   config.name + " run " + std::to_string(r) +
                                       ": test-node confidence and training curves"));
    write_text_atomic(config.output_dir / (stem + "_confidence.csv"), confidence_csv(run.analysis));
  }
  return run;
}

// A run as the trainer reports one: the selected numbers as the best epoch's, Mowst's own numbers
// as extras (summarised over runs with the baselines' columns).
training::FitResult as_fit_result(const MowstRun& run) {
  training::FitResult out;
  out.best_epoch = static_cast<Index>(run.fit.curve.size());
  out.best.epoch = out.best_epoch;
  out.best.train_metric = run.train_accuracy;
  out.best.val_metric = run.val_accuracy;
  out.best.test_metric = run.test_accuracy;
  out.best.loss = run.fit.curve.empty() ? training::kNotComputed : run.fit.curve.back().loss;
  for (const CurvePoint& p : run.fit.curve) {
    training::EpochRecord e;
    e.epoch = p.step;
    e.loss = p.loss;
    e.val_metric = p.val_metric;
    e.val_loss = p.val_loss;
    out.history.push_back(e);
  }
  out.mean_epoch_seconds =
      run.fit.curve.empty() ? 0.0 : run.fit.seconds / static_cast<double>(run.fit.curve.size());
  out.extras = {{"test_sampled", run.test_sampled_accuracy},
                {"fraction_weak", run.analysis.fraction_weak},
                {"weak_accuracy", run.analysis.weak_accuracy},
                {"strong_accuracy", run.analysis.strong_accuracy},
                {"rounds", static_cast<double>(run.fit.rounds)}};
  return out;
}

}  // namespace

MowstReport run_mowst(const graph::Csr& raw, const Tensor& x, Index num_classes,
                      const std::vector<training::LabeledSplit>& splits, const MowstConfig& config) {
  MOEGNN_CHECK_AS(InvalidArgument, "run_mowst", !splits.empty(), "no splits vs at least one");
  MOEGNN_CHECK_AS(InvalidArgument, "run_mowst", config.runs >= 0, "runs is ", config.runs,
                  " vs >= 0 (0: one per split)");
  MOEGNN_CHECK_AS(InvalidArgument, "run_mowst", x.rows() == raw.num_nodes(), "x has ", x.rows(),
                  " rows vs ", raw.num_nodes(), " nodes");
  const Index runs = config.runs == 0 ? static_cast<Index>(splits.size()) : config.runs;
  MowstReport report;
  report.summary = training::repeat_runs(runs, [&](Index r) {
    const auto& split = splits[static_cast<std::size_t>(r) % splits.size()];
    report.runs.push_back(run_once(raw, x, num_classes, split, config, r));
    return as_fit_result(report.runs.back());
  });
  return report;
}

}  // namespace moegnn::mowst
