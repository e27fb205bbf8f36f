// SPDX-License-Identifier: Apache-2.0
// run_mowst: repeated Mowst / Mowst* runs with evaluation, analysis and summary.
#include "models/mowst/run.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "core/ops/reduce.h"
#include "models/metrics.h"
#include "models/mowst/inference.h"

namespace moegnn::mowst {
namespace {

training::MeanStd summarise(const std::vector<double>& values) {
  std::vector<double> finite;
  for (const double v : values)
    if (std::isfinite(v)) finite.push_back(v);
  if (finite.empty()) return {std::nan(""), std::nan(""), 0};
  return training::mean_std(finite);
}

MowstRun run_once(const graph::Csr& raw, const Tensor& x, Index num_classes,
                  const training::NodeSplit& split, const MowstConfig& config, Index r) {
  const std::uint64_t seed = config.seed + static_cast<std::uint64_t>(r);
  Rng rng(seed);
  auto model = make_mowst(config.model, x.cols(), num_classes, rng);
  const MowstGraphs graphs = model->prepare(raw);
  MowstTrainOptions train = config.train;
  train.seed = seed;
  MowstRun run;
  run.fit = train_mowst(*model, graphs, x, split, num_classes, train);
  // Evaluation as the reference reports it.
  const Tensor z1 = eval_logits(model->weak(), graphs.weak, x);
  const Tensor z2 = eval_logits(model->strong(), graphs.strong, x);
  const Tensor c = eval_confidence(*model, z1, x);
  if (train.variant == Variant::Mowst) {
    const IndexArray32 p1 = ops::argmax_rows(z1), p2 = ops::argmax_rows(z2);
    run.val_accuracy = expected_accuracy(p1, p2, c, split.labels, split.val);
    run.test_accuracy = expected_accuracy(p1, p2, c, split.labels, split.test);
    run.test_sampled_accuracy =
        sampled_accuracy(p1, p2, c, split.labels, split.test, config.m_times, seed ^ 0x5eedULL);
  } else {
    const IndexArray32 p = mixture_predictions(z1, z2, c);
    run.val_accuracy = models::accuracy(p, split.labels, split.val);
    run.test_accuracy = models::accuracy(p, split.labels, split.test);
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

}  // namespace

MowstReport run_mowst(const graph::Csr& raw, const Tensor& x, Index num_classes,
                      const std::vector<training::NodeSplit>& splits, const MowstConfig& config) {
  MOEGNN_CHECK_AS(InvalidArgument, "run_mowst", !splits.empty(), "no splits vs at least one");
  MOEGNN_CHECK_AS(InvalidArgument, "run_mowst", config.runs >= 0, "runs is ", config.runs,
                  " vs >= 0 (0: one per split)");
  MOEGNN_CHECK_AS(InvalidArgument, "run_mowst", x.rows() == raw.num_nodes(), "x has ", x.rows(),
                  " rows vs ", raw.num_nodes(), " nodes");
  const Index runs = config.runs == 0 ? static_cast<Index>(splits.size()) : config.runs;
  MowstReport report;
  std::vector<double> val, test, sampled, fraction, weak_acc, strong_acc;
  for (Index r = 0; r < runs; ++r) {
    const auto& split = splits[static_cast<std::size_t>(r) % splits.size()];
    report.runs.push_back(run_once(raw, x, num_classes, split, config, r));
    const MowstRun& run = report.runs.back();
    val.push_back(run.val_accuracy);
    test.push_back(run.test_accuracy);
    sampled.push_back(run.test_sampled_accuracy);
    fraction.push_back(run.analysis.fraction_weak);
    weak_acc.push_back(run.analysis.weak_accuracy);
    strong_acc.push_back(run.analysis.strong_accuracy);
  }
  report.val = summarise(val);
  report.test = summarise(test);
  report.test_sampled = summarise(sampled);
  report.fraction_weak = summarise(fraction);
  report.weak_accuracy = summarise(weak_acc);
  report.strong_accuracy = summarise(strong_acc);
  return report;
}

}  // namespace moegnn::mowst
