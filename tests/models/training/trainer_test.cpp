// SPDX-License-Identifier: Apache-2.0
// Trainer bookkeeping on scripted validation curves (early stopping, model selection), the JSON
// log, bit-identical resume from checkpoints, and the one-call NodeModel entry point.
#include <cmath>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "models/node/gcn.h"
#include "models/training/fit.h"
#include "models/training/trainer.h"
#include "tests/models/training/training_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::training {
namespace {

// 30 nodes, all labelled 0: validation 0..9, training 10..19, test 20..29.
LabeledSplit scripted_split() {
  std::vector<std::int32_t> val, train, test;
  for (std::int32_t i = 0; i < 10; ++i) {
    val.push_back(i);
    train.push_back(i + 10);
    test.push_back(i + 20);
  }
  return {{train, val, test}, IndexArray32(std::vector<std::int32_t>(30, 0))};
}

struct ScriptedRun {
  test::ScriptedModel model;
  std::vector<Tensor> weights;  // the weight after each epoch
  FitResult result;
  ScriptedRun(std::vector<Index> correct, std::vector<float> margin, TrainOptions options)
      : model(30, std::move(correct), std::move(margin)) {
    options.on_epoch = [this](const EpochRecord&) {
      weights.push_back(model.weight().value.clone());
    };
    Trainer trainer(
        model, [this](Tape& tape, Rng&) { return model.forward(tape); }, scripted_split(), options);
    result = trainer.fit();
  }
};

TEST(EarlyStopping, CountsEpochsWithoutImprovement) {
  EarlyStopping max(EarlyStopping::Mode::Max, 2, 0.05);
  EXPECT_TRUE(max.update(1, 0.5));
  EXPECT_FALSE(max.update(2, 0.54));  // within min_delta
  EXPECT_FALSE(max.should_stop());
  EXPECT_TRUE(max.update(3, 0.6));
  EXPECT_FALSE(max.update(4, std::nan("")));  // NaN never improves
  EXPECT_FALSE(max.update(5, 0.6));
  EXPECT_TRUE(max.should_stop());
  EXPECT_EQ(max.best_epoch(), 3);
  EarlyStopping min(EarlyStopping::Mode::Min);  // patience 0: selection only
  for (Index e = 1; e <= 50; ++e) min.update(e, 1.0);
  EXPECT_FALSE(min.should_stop());
  EXPECT_EQ(min.best_epoch(), 1);
  EXPECT_THROW(EarlyStopping(EarlyStopping::Mode::Min, -1), InvalidArgument);
  EXPECT_THROW(EarlyStopping(EarlyStopping::Mode::Min, 1, -0.1), InvalidArgument);
}

TEST(EarlyStopping, JointRuleOfGat) {
  EarlyStopping joint = EarlyStopping::for_monitor(Monitor::ValLossAndMetric, 2);
  EXPECT_TRUE(joint.update(1, 1.0, 0.5));    // first pair
  EXPECT_FALSE(joint.update(2, 0.9, 0.4));   // loss better, acc worse: patience restarts only
  EXPECT_EQ(joint.bad_epochs(), 0);
  EXPECT_TRUE(joint.update(3, 0.9, 0.5));    // ties on both count (>=, <=): new best
  EXPECT_FALSE(joint.update(4, 0.95, 0.45)); // neither
  EXPECT_FALSE(joint.update(5, 1.2, std::nan("")));
  EXPECT_TRUE(joint.should_stop());
  EXPECT_EQ(joint.best_epoch(), 3);
  EXPECT_EQ(joint.best_value(), 0.9);
  EXPECT_EQ(joint.best_metric(), 0.5);
  // The state round-trips, and a tracker of one kind refuses the other's update.
  EarlyStopping copy = EarlyStopping::for_monitor(Monitor::ValLossAndMetric, 2);
  copy.load_state(joint.state());
  EXPECT_FALSE(copy.update(6, 0.91, 0.49));
  EXPECT_EQ(copy.bad_epochs(), joint.bad_epochs() + 1);
  EXPECT_THROW(joint.update(6, 0.5), InvalidArgument);
  EarlyStopping max(EarlyStopping::Mode::Max);
  EXPECT_THROW(max.update(1, 0.5, 0.5), InvalidArgument);
}

TEST(Trainer, StopsEarlyOnValidationAccuracyAndRestoresTheBestEpoch) {
  // Validation accuracy 0.2 0.5 0.4 0.7 0.6 0.7 0.6 ...: best at epoch 4; epochs 5, 6 (a tie is
  // no improvement) and 7 do not beat it, so patience 3 stops after epoch 7.
  ScriptedRun run({2, 5, 4, 7, 6, 7, 6, 3, 9, 9}, std::vector<float>(10, 1.0f),
                  {.epochs = 10,
                   .lr = 0.1f,
                   .select_on = Monitor::ValMetric,
                   .early_stopping = {.patience = 3, .monitor = Monitor::ValMetric},
                   .progress = false});
  const FitResult& r = run.result;
  ASSERT_EQ(r.history.size(), 7u);
  EXPECT_TRUE(r.early_stopped);
  EXPECT_EQ(r.best_epoch, 4);
  EXPECT_DOUBLE_EQ(r.best.val_metric, 0.7);
  EXPECT_DOUBLE_EQ(r.best.test_metric, 0.0);  // test rows 20.. are past every correct count
  EXPECT_DOUBLE_EQ(r.history[1].val_metric, 0.5);
  // The weights changed every epoch, and the model ends with epoch 4's.
  ASSERT_EQ(run.weights.size(), 7u);
  EXPECT_TRUE(support::all_close(run.model.weight().value, run.weights[3], 0.0f));
  EXPECT_FALSE(support::all_close(run.model.weight().value, run.weights[6], 1e-6f));
  EXPECT_TRUE(run.model.training());
}

TEST(Trainer, StopsEarlyOnValidationLoss) {
  // Every validation row right with margin m: loss log(1 + e^-m). Margins 0 1 3 2 3 2.5 1 5: best
  // loss at epoch 3; epoch 4 is worse and epoch 5 only ties, so patience 2 stops after epoch 5.
  ScriptedRun run(std::vector<Index>(8, 10), {0, 1, 3, 2, 3, 2.5f, 1, 5},
                  {.epochs = 8,
                   .select_on = Monitor::ValLoss,
                   .early_stopping = {.patience = 2, .monitor = Monitor::ValLoss},
                   .progress = false});
  ASSERT_EQ(run.result.history.size(), 5u);
  EXPECT_EQ(run.result.best_epoch, 3);
  EXPECT_NEAR(run.result.best.val_loss, std::log1p(std::exp(-3.0)), 1e-6);
  EXPECT_NEAR(run.result.history[0].val_loss, std::log(2.0), 1e-6);
  EXPECT_TRUE(support::all_close(run.model.weight().value, run.weights[2], 0.0f));
}

TEST(Trainer, KeepsTheLastEpochWithoutRestoreBest) {
  ScriptedRun run({9, 1, 1}, {1, 1, 1}, {.epochs = 3, .restore_best = false, .progress = false});
  EXPECT_EQ(run.result.best_epoch, 1);
  EXPECT_FALSE(run.result.early_stopped);
  EXPECT_TRUE(support::all_close(run.model.weight().value, run.weights[2], 0.0f));
}

TEST(Trainer, WritesOneJsonLinePerEpoch) {
  test::TempDir dir;
  ScriptedRun run({2, 5, 4, 7}, {1, 1, 1, 1},
                  {.epochs = 4, .lr = 0.05f, .log_path = dir / "log.jsonl", .progress = false});
  std::ifstream in(dir / "log.jsonl");
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);  // throws on a malformed line
    const EpochRecord& r = run.result.history.at(n++);
    EXPECT_EQ(j["epoch"].get<Index>(), r.epoch);
    EXPECT_EQ(j["loss"].get<double>(), r.loss);
    EXPECT_EQ(j["metrics"]["val_acc"].get<double>(), r.val_metric);
    EXPECT_EQ(j["metrics"]["test_loss"].get<double>(), r.test_loss);
    EXPECT_TRUE(j["metrics"].contains("train_acc"));
    EXPECT_GE(j["seconds"].get<double>(), 0.0);
    EXPECT_FLOAT_EQ(j["lr"].get<float>(), 0.05f);
  }
  EXPECT_EQ(n, 4u);
}

// A Gcn with batch norm and dropout on a small CSBM: every kind of state a checkpoint carries.
struct GcnRun {
  datasets::NodeDataset data = test::small_csbm(200);
  Rng init;
  models::Gcn model;
  models::PreparedGraph adj;
  explicit GcnRun(std::uint64_t init_seed = 3)
      : init(init_seed),
        model({.in_channels = 8,
               .hidden_channels = 16,
               .out_channels = 3,
               .dropout = 0.5f,
               .batch_norm = true},
              init),
        adj(model.prepare(data.graph)) {}
  Trainer trainer(TrainOptions options) {
    options.progress = false;
    return Trainer(
        model,
        [this](Tape& tape, Rng& rng) {
          return model.forward(tape, adj, tape.constant(data.features), rng);
        },
        test::split_of(data), options);
  }
};

// The number of lines of a JSON-lines log, checking that line i holds epoch i.
Index log_epochs_in_order(const std::filesystem::path& path) {
  std::ifstream log(path);
  std::string line;
  Index lines = 0;
  while (std::getline(log, line)) EXPECT_EQ(nlohmann::json::parse(line)["epoch"], ++lines);
  return lines;
}

TEST(Trainer, ResumedRunIsBitIdenticalToAnUninterruptedOne) {
  test::TempDir dir;
  const TrainOptions base{.epochs = 10, .lr = 0.02f, .weight_decay = 5e-4f, .seed = 11};
  GcnRun straight;
  FitResult expected = straight.trainer(base).fit();

  TrainOptions options = base;
  options.checkpoint_path = dir / "run.safetensors";
  options.log_path = dir / "run.jsonl";
  options.resume = true;
  GcnRun interrupted;
  TrainOptions crashing = options;
  crashing.on_epoch = [](const EpochRecord& r) {
    if (r.epoch == 5) throw std::runtime_error("simulated crash");
  };
  EXPECT_THROW(interrupted.trainer(crashing).fit(), std::runtime_error);

  GcnRun resumed(/*init_seed=*/99);  // other initial weights: all state must come from the file
  Trainer trainer = resumed.trainer(options);
  const FitResult result = trainer.fit();
  EXPECT_EQ(trainer.epoch(), 10);
  EXPECT_TRUE(test::bitwise_equal(resumed.model.parameters(), straight.model.parameters()));
  const std::vector<layers::Buffer> a = straight.model.buffers(), b = resumed.model.buffers();
  ASSERT_EQ(a.size(), 3u);  // bn0: running_mean, running_var, num_batches_tracked
  ASSERT_EQ(b.size(), a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    if (a[i].tensor != nullptr)
      EXPECT_TRUE(support::all_close(*a[i].tensor, *b[i].tensor, 0.0f)) << a[i].name;
    else
      EXPECT_EQ(*a[i].count, *b[i].count) << a[i].name;
  }
  ASSERT_EQ(result.history.size(), expected.history.size());
  for (std::size_t e = 0; e < result.history.size(); ++e) {
    EXPECT_EQ(result.history[e].loss, expected.history[e].loss) << "epoch " << e + 1;
    EXPECT_EQ(result.history[e].val_metric, expected.history[e].val_metric);
  }
  EXPECT_EQ(result.best_epoch, expected.best_epoch);
  // The log holds epochs 1..5 from the first run and 6..10 from the resumed one.
  EXPECT_EQ(log_epochs_in_order(dir / "run.jsonl"), 10);
}

// A crash after an epoch's log line but before its checkpoint (checkpoints every 2 epochs, crash in
// epoch 5, plus a line torn mid-write): the resumed run restarts at epoch 5 and the log still has
// every epoch exactly once.
TEST(Trainer, ResumedLogHasEachEpochExactlyOnce) {
  test::TempDir dir;
  TrainOptions options{.epochs = 8, .lr = 0.02f, .seed = 3};
  options.checkpoint_path = dir / "run.safetensors";
  options.checkpoint_every = 2;
  options.log_path = dir / "run.jsonl";
  options.resume = true;
  TrainOptions crashing = options;
  crashing.on_epoch = [](const EpochRecord& r) {
    if (r.epoch == 5) throw std::runtime_error("simulated crash");
  };
  GcnRun interrupted;
  EXPECT_THROW(interrupted.trainer(crashing).fit(), std::runtime_error);
  { std::ofstream(dir / "run.jsonl", std::ios::app) << R"({"epoch":6,"lo)"; }  // torn line
  GcnRun resumed;
  Trainer trainer = resumed.trainer(options);
  trainer.fit();
  EXPECT_EQ(log_epochs_in_order(dir / "run.jsonl"), 8);
}

// Resuming with other training settings than the checkpoint records is refused, naming each
// change, unless override_hyperparameters is set.
TEST(Trainer, ResumeRefusesChangedHyperparametersUnlessOverridden) {
  test::TempDir dir;
  TrainOptions options{.epochs = 3, .lr = 0.02f, .seed = 3};
  options.checkpoint_path = dir / "run.safetensors";
  GcnRun first;
  first.trainer(options).fit();
  TrainOptions changed = options;
  changed.epochs = 6;
  changed.lr = 0.5f;
  changed.resume = true;
  GcnRun second;
  try {
    second.trainer(changed).fit();
    ADD_FAILURE() << "a changed lr and epochs were accepted";
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("epochs 3 -> 6"), std::string::npos) << what;
    EXPECT_NE(what.find("lr 0.019999999552965164 -> 0.5"), std::string::npos) << what;
  }
  changed.override_hyperparameters = true;
  GcnRun third;
  Trainer trainer = third.trainer(changed);
  trainer.fit();
  EXPECT_EQ(trainer.epoch(), 6);
}

TEST(Trainer, RejectsCheckpointsOfOtherModelsAndCorruptFiles) {
  test::TempDir dir;
  GcnRun run;
  Trainer trainer = run.trainer({.epochs = 2});
  trainer.fit();
  trainer.save_checkpoint(dir / "gcn.safetensors");
  test::ScriptedModel other(30, {1}, {1});
  Trainer foreign(other, [&](Tape& tape, Rng&) { return other.forward(tape); }, scripted_split(),
                  {.epochs = 1, .progress = false});
  EXPECT_THROW(foreign.load_checkpoint(dir / "gcn.safetensors"), InvalidArgument);
  EXPECT_EQ(foreign.epoch(), 0);
  // Truncated: IoError, and the trainer is unchanged.
  const auto size = std::filesystem::file_size(dir / "gcn.safetensors");
  std::filesystem::resize_file(dir / "gcn.safetensors", size / 2);
  GcnRun again;
  Trainer fresh = again.trainer({.epochs = 2});
  EXPECT_THROW(fresh.load_checkpoint(dir / "gcn.safetensors"), IoError);
  EXPECT_EQ(fresh.epoch(), 0);
}

TEST(Trainer, RejectsBadOptions) {
  test::ScriptedModel model(30, {1}, {1});
  const ForwardFn forward = [&](Tape& tape, Rng&) { return model.forward(tape); };
  EXPECT_THROW(Trainer(model, forward, scripted_split(), {.epochs = 0}), InvalidArgument);
  EXPECT_THROW(Trainer(model, forward, scripted_split(), {.lr = 0.0f}), InvalidArgument);
  EXPECT_THROW(Trainer(model, forward, scripted_split(), {.checkpoint_every = 0}), InvalidArgument);
  EXPECT_THROW(Trainer(model, forward, scripted_split(), {.early_stopping = {.patience = -1}}),
               InvalidArgument);
  LabeledSplit bad = scripted_split();
  bad.val = IndexArray32{0, 30};
  EXPECT_THROW(Trainer(model, forward, bad, {}), InvalidArgument);
  bad = scripted_split();
  bad.train = IndexArray32{};
  EXPECT_THROW(Trainer(model, forward, bad, {}), InvalidArgument);
}

TEST(Trainer, FitsANodeModel) {
  const datasets::NodeDataset data = test::small_csbm();
  Rng rng(5);
  models::Gcn model({.in_channels = 8, .hidden_channels = 16, .out_channels = 3}, rng);
  const FitResult r = fit(model, data.graph, data.features, test::split_of(data),
                          {.epochs = 40, .lr = 0.02f, .weight_decay = 5e-4f, .progress = false});
  EXPECT_LT(r.history.back().loss, 0.7 * r.history.front().loss);
  EXPECT_GT(r.best.test_metric, 1.0 / 3.0 + 0.3);
}

TEST(ProgressBar, DrawsOnlyWhenEnabled) {
  std::ostringstream on;
  ProgressBar bar(10, on, true);
  bar.update(3, "loss 0.5");
  bar.update(4, "x");
  bar.finish();
  EXPECT_EQ(bar.line(3, "loss 0.5"), "[#######.................] 3/10 loss 0.5");
  EXPECT_EQ(on.str().substr(0, 1), "\r");
  EXPECT_NE(on.str().find("3/10 loss 0.5"), std::string::npos);
  EXPECT_NE(on.str().find("4/10 x"), std::string::npos);
  EXPECT_EQ(on.str().back(), '\n');
  std::ostringstream off;
  ProgressBar quiet(10, off, false);
  quiet.update(3, "loss");
  quiet.finish();
  EXPECT_TRUE(off.str().empty());
  EXPECT_THROW(ProgressBar(0, off, true), InvalidArgument);
}

// The run label, the elapsed time and the time left, extrapolated from the steps done since the
// bar was made (a resumed run started at step 4 here).
TEST(ProgressBar, ShowsLabelElapsedAndEstimate) {
  std::ostringstream out;
  ProgressBar bar(10, out, true, /*start=*/4, "run 2/3");
  EXPECT_EQ(bar.line(6, "loss 0.5", 20.0),
            "run 2/3 [##############..........] 6/10 loss 0.5  00:20<00:40");
  EXPECT_EQ(bar.line(4, "", 1.0), "run 2/3 [#########...............] 4/10  00:01<?");
  ProgressBar long_run(2, out, true);
  EXPECT_EQ(long_run.line(1, "", 3725.0), "[############............] 1/2  1:02:05<1:02:05");
}

}  // namespace
}  // namespace moegnn::training
