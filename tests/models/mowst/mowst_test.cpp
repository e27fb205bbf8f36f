// SPDX-License-Identifier: Apache-2.0
// Mowst and Mowst* end to end on the two-halves graph (tests/models/mowst/two_halves.h): the half
// where the MLP is good is routed mostly to it and the other half mostly to the GNN; run_mowst's
// report and analysis files; a GNN as weak expert; resuming from a checkpoint; bad input.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/ops/reduce.h"
#include "models/mowst/inference.h"
#include "models/mowst/run.h"
#include "tests/models/mowst/two_halves.h"

namespace moegnn::mowst {
namespace {

MowstModelOptions small_model(const std::string& weak = "mlp") {
  MowstModelOptions o;
  o.weak = weak;
  o.strong = "gcn";
  o.weak_config = {{"hidden", "16"}, {"layers", "2"}, {"dropout", "0.1"}};
  o.strong_config = o.weak_config;
  o.gate = {.hidden_channels = 8, .dropout = 0.0f};
  return o;
}

MowstTrainOptions quick(Variant variant) {
  MowstTrainOptions t;
  t.variant = variant;
  t.lr = 0.02f;
  t.lr_gate = 0.1f;
  t.max_rounds = 6;
  t.turn_epochs = 100;
  t.turn_patience = 30;
  t.epochs = 300;
  t.patience = 60;
  return t;
}

// Mean confidence of the test nodes of each half.
std::pair<double, double> mean_confidence_by_half(const Tensor& c, const testing::TwoHalves& d) {
  double a = 0.0, b = 0.0;
  Index na = 0, nb = 0;
  for (const auto v : d.split.test.host()) {
    if (v < d.half)
      a += c.host()(v, 0), ++na;
    else
      b += c.host()(v, 0), ++nb;
  }
  return {a / static_cast<double>(na), b / static_cast<double>(nb)};
}

bool same_bits(const std::vector<Parameter*>& a, const std::vector<Parameter*>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const Tensor& x = a[i]->value;
    const Tensor& y = b[i]->value;
    if (!x.same_shape(y) || std::memcmp(x.data(), y.data(), sizeof(float) * x.size()) != 0)
      return false;
  }
  return true;
}

// A run stopped after any epoch (in pretraining, a weak turn, a strong turn, Mowst*'s joint
// epochs) and resumed from its checkpoint by a model with other initial weights ends bit-identical
// to the uninterrupted run: same parameters, same curve.
class MowstResume : public ::testing::TestWithParam<Variant> {};

TEST_P(MowstResume, ResumedRunIsBitIdenticalToAnUninterruptedOne) {
  const auto data = testing::two_halves(120, 6, 4, 2);
  MowstTrainOptions t = quick(GetParam());
  t.seed = 5;
  t.pretrain = Pretrain::Both;
  t.pretrain_epochs = 4;
  t.max_rounds = 2;
  t.round_patience = 2;
  t.turn_epochs = 4;
  t.turn_patience = 2;
  t.epochs = 8;
  t.patience = 3;
  auto build = [&](std::uint64_t seed) {
    Rng rng(seed);
    return make_mowst(small_model(), data.x.cols(), 2, rng);
  };
  auto straight = build(7);
  const MowstGraphs graphs = straight->prepare(data.graph);
  const MowstFit expected = train_mowst(*straight, graphs, data.x, data.split, 2, t);
  const auto total = static_cast<Index>(expected.curve.size());
  ASSERT_GT(total, 8);  // pretraining and at least one later stage
  // One folder per variant and process: ctest runs the variants in parallel.
  const auto dir = std::filesystem::temp_directory_path() /
                   ("moegnn_mowst_resume_" + std::to_string(static_cast<int>(GetParam())) + "_" +
                    std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const Index crash : {Index{2}, Index{6}, Index{9}, Index{12}, total - 1}) {
    if (crash < 1 || crash >= total) continue;
    const auto path = dir / ("ckpt" + std::to_string(crash) + ".safetensors");
    std::filesystem::remove(path);
    MowstTrainOptions crashing = t;
    crashing.checkpoint_path = path;
    crashing.on_epoch = [crash](const training::EpochRecord& r) {
      if (r.epoch == crash) throw std::runtime_error("simulated crash");
    };
    auto interrupted = build(7);
    EXPECT_THROW(train_mowst(*interrupted, graphs, data.x, data.split, 2, crashing),
                 std::runtime_error);
    MowstTrainOptions resuming = t;
    resuming.checkpoint_path = path;
    resuming.resume = true;
    auto resumed = build(99);  // other weights: everything must come from the checkpoint
    const MowstFit fit = train_mowst(*resumed, graphs, data.x, data.split, 2, resuming);
    EXPECT_TRUE(same_bits(resumed->parameters(), straight->parameters())) << "crash " << crash;
    ASSERT_EQ(fit.curve.size(), expected.curve.size()) << "crash " << crash;
    for (std::size_t i = 0; i < fit.curve.size(); ++i) {
      EXPECT_EQ(fit.curve[i].phase, expected.curve[i].phase) << "crash " << crash << ", " << i;
      EXPECT_EQ(fit.curve[i].loss, expected.curve[i].loss) << "crash " << crash << ", " << i;
      EXPECT_EQ(fit.curve[i].val_metric, expected.curve[i].val_metric) << i;
    }
    EXPECT_EQ(fit.rounds, expected.rounds);
    EXPECT_EQ(fit.best_val, expected.best_val);
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Variants, MowstResume,
                         ::testing::Values(Variant::Mowst, Variant::MowstStar));

class MowstEndToEnd : public ::testing::TestWithParam<Variant> {};

TEST_P(MowstEndToEnd, RoutesEachHalfToItsBetterExpert) {
  const auto data = testing::two_halves();
  Rng rng(7);
  auto model = make_mowst(small_model(), data.x.cols(), 2, rng);
  const MowstGraphs graphs = model->prepare(data.graph);
  MowstTrainOptions t = quick(GetParam());
  t.seed = 7;
  // Mowst's gate learns only in weak turns; with an untrained GNN the first turn sees CE(GNN) =
  // ln 2 everywhere and pushes C up on every node. Pretraining both experts (the reference's
  // pretrain_both) lets the first weak turn see where each expert is right.
  if (GetParam() == Variant::Mowst) {
    t.pretrain = Pretrain::Both;
    t.pretrain_epochs = 100;
    t.pretrain_patience = 30;
  }
  const MowstFit fit = train_mowst(*model, graphs, data.x, data.split, 2, t);
  ASSERT_FALSE(fit.curve.empty());

  // The experts really differ by half: the MLP wins on A, the GCN on B.
  const auto a = analyse(*model, graphs, data.x, data.split.labels, data.split.test, GetParam(), 1);
  const Tensor c = a.confidence;
  const auto [conf_a, conf_b] = mean_confidence_by_half(c, data);
  EXPECT_GT(conf_a, 0.7) << "half A (MLP-friendly) should be routed mostly to the MLP";
  EXPECT_LT(conf_b, 0.3) << "half B (GNN-friendly) should be routed mostly to the GNN";
  // The realised routing agrees: most A nodes to the weak expert, most B nodes to the strong one.
  Index a_weak = 0, a_all = 0, b_strong = 0, b_all = 0;
  for (const auto v : data.split.test.host()) {
    const bool weak = a.to_weak[static_cast<std::size_t>(v)];
    if (v < data.half)
      a_weak += weak, ++a_all;
    else
      b_strong += !weak, ++b_all;
  }
  EXPECT_GT(static_cast<double>(a_weak) / static_cast<double>(a_all), 0.6);
  EXPECT_GT(static_cast<double>(b_strong) / static_cast<double>(b_all), 0.6);
  // And the mixture is better than either expert alone on the test nodes.
  const double mixed =
      GetParam() == Variant::Mowst
          ? expected_accuracy(ops::argmax_rows(eval_logits(model->weak(), graphs.weak, data.x)),
                              ops::argmax_rows(eval_logits(model->strong(), graphs.strong, data.x)),
                              c, data.split.labels, data.split.test)
          : a.weak_accuracy * a.fraction_weak + a.strong_accuracy * (1.0 - a.fraction_weak);
  EXPECT_GT(mixed, std::max(a.weak_alone_accuracy, a.strong_alone_accuracy));
}

INSTANTIATE_TEST_SUITE_P(Variants, MowstEndToEnd,
                         ::testing::Values(Variant::Mowst, Variant::MowstStar),
                         [](const auto& info) {
                           return std::string(info.param == Variant::Mowst ? "Mowst" : "MowstStar");
                         });

TEST(MowstRun, ReportsRunsAndWritesAnalysisFiles) {
  const auto data = testing::two_halves(160, 6, 4, 2);
  const auto dir = std::filesystem::temp_directory_path() / "moegnn_mowst_run_test";
  std::filesystem::create_directories(dir);
  MowstConfig config;
  config.model = small_model();
  config.train = quick(Variant::Mowst);
  config.train.max_rounds = 1;
  config.train.turn_epochs = 10;
  config.train.pretrain = Pretrain::Both;
  config.train.pretrain_epochs = 10;
  config.runs = 2;
  config.m_times = 5;
  config.output_dir = dir;
  const MowstReport report = run_mowst(data.graph, data.x, 2, {data.split}, config);
  ASSERT_EQ(report.runs.size(), 2u);
  EXPECT_EQ(report.summary.test_metric.count, 2);
  EXPECT_EQ(report.summary.extras.at("fraction_weak").count, 2);
  for (const auto& run : report.runs) {
    EXPECT_GE(run.test_accuracy, 0.0);
    EXPECT_LE(run.test_accuracy, 1.0);
    EXPECT_EQ(run.analysis.weak_count + run.analysis.strong_count, data.split.test.size());
    bool pretrained = false;
    for (const auto& p : run.fit.curve) pretrained |= p.phase == Phase::PretrainStrong;
    EXPECT_TRUE(pretrained);
  }
  std::ifstream svg(dir / "mowst_run1.svg");
  std::stringstream s;
  s << svg.rdbuf();
  EXPECT_NE(s.str().find("<svg"), std::string::npos);
  EXPECT_NE(s.str().find("polyline"), std::string::npos);
  std::ifstream csv(dir / "mowst_run0_confidence.csv");
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header, "node,confidence,routed");
  std::filesystem::remove_all(dir);
}

TEST(MowstRun, AcceptsAGnnAsWeakExpert) {
  const auto data = testing::two_halves(100, 4, 3, 4);
  MowstConfig config;
  config.model = small_model("sage");
  config.train = quick(Variant::MowstStar);
  config.train.epochs = 5;
  config.runs = 1;
  const auto report = run_mowst(data.graph, data.x, 2, {data.split}, config);
  ASSERT_EQ(report.runs.size(), 1u);
  EXPECT_EQ(report.runs[0].fit.curve.size(), 5u);
}

TEST(MowstInput, RejectsBadInput) {
  const auto data = testing::two_halves(60, 4, 3, 1);
  Rng rng(1);
  auto model = make_mowst(small_model(), 4, 2, rng);
  const MowstGraphs graphs = model->prepare(data.graph);
  training::LabeledSplit no_val = data.split;
  no_val.val = IndexArray32{};
  EXPECT_THROW(train_mowst(*model, graphs, data.x, no_val, 2, quick(Variant::Mowst)),
               InvalidArgument);
  EXPECT_THROW(
      train_mowst(*model, graphs, Tensor::zeros(3, 4), data.split, 2, quick(Variant::Mowst)),
      InvalidArgument);
  training::LabeledSplit bad_label = data.split;
  bad_label.labels = IndexArray32(std::vector<std::int32_t>(60, 5));
  EXPECT_THROW(train_mowst(*model, graphs, data.x, bad_label, 2, quick(Variant::Mowst)),
               InvalidArgument);
  MowstConfig config;
  EXPECT_THROW(run_mowst(data.graph, data.x, 2, {}, config), InvalidArgument);
  MowstModelOptions unknown = small_model();
  unknown.strong = "transformer";
  EXPECT_THROW(make_mowst(unknown, 4, 2, rng), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::mowst
