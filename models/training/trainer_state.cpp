// SPDX-License-Identifier: Apache-2.0
// What a training checkpoint holds, under these names (safetensors, models/checkpoint.h):
//   model.<parameter>, model.<buffer>   the current model (buffers: bn0.running_mean, ...)
//   best.<...>                          the same for the selected epoch (when there is one)
//   optimizer.<name>                    optim::Optimizer::state() (when the trainer has one)
//   rng                                 I64 [seed, counter] (bit patterns of the u64s)
//   task.<...>                          the task's own state (Task::write_state), if any
//   __metadata__: format, seed, epoch, history (JSON), selection and early_stopping (JSON)
// Loading reads and checks everything before it changes anything.
#include <bit>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "models/training/trainer.h"

namespace moegnn::training {
namespace {

using Json = nlohmann::json;
constexpr const char* kFormat = "moegnn.training.v1";

Json number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }
double number_of(const Json& v) { return v.is_null() ? kNotComputed : v.get<double>(); }

Json to_json(const EpochRecord& r) {
  return {{"epoch", r.epoch},
          {"loss", number(r.loss)},
          {"train_loss", number(r.train_loss)},
          {"val_loss", number(r.val_loss)},
          {"test_loss", number(r.test_loss)},
          {"train_metric", number(r.train_metric)},
          {"val_metric", number(r.val_metric)},
          {"test_metric", number(r.test_metric)},
          {"lr", number(r.lr)},
          {"seconds", number(r.seconds)},
          {"eval_seconds", number(r.eval_seconds)}};
}

EpochRecord record_of(const Json& j) {
  EpochRecord r;
  r.epoch = j.at("epoch").get<Index>();
  r.loss = number_of(j.at("loss"));
  r.train_loss = number_of(j.at("train_loss"));
  r.val_loss = number_of(j.at("val_loss"));
  r.test_loss = number_of(j.at("test_loss"));
  r.train_metric = number_of(j.at("train_metric"));
  r.val_metric = number_of(j.at("val_metric"));
  r.test_metric = number_of(j.at("test_metric"));
  r.lr = number_of(j.at("lr"));
  r.seconds = number_of(j.at("seconds"));
  r.eval_seconds = number_of(j.at("eval_seconds"));
  return r;
}

Json to_json(const EarlyStopping::State& s) {
  return {{"best_epoch", s.best_epoch},
          {"best_value", number(s.best_value)},
          {"bad_epochs", s.bad_epochs},
          {"best_metric", number(s.best_metric)},
          {"seen", s.seen}};
}

EarlyStopping::State state_of(const Json& j) {
  const double best = number_of(j.at("best_value"));
  // best_metric / seen: written since the joint (GAT) monitor; absent in older checkpoints.
  const double metric = j.contains("best_metric") ? number_of(j.at("best_metric")) : 0.0;
  return {j.at("best_epoch").get<Index>(), std::isnan(best) ? 0.0 : best,
          j.at("bad_epochs").get<Index>(), std::isnan(metric) ? 0.0 : metric,
          j.contains("seen") && j.at("seen").get<bool>()};
}

// The options a resumed run must share with the run that wrote the checkpoint (JSON numbers of the
// floats as doubles, so equal floats compare equal).
Json hyperparameters(const TrainOptions& o) {
  return {{"epochs", o.epochs},
          {"lr", static_cast<double>(o.lr)},
          {"weight_decay", static_cast<double>(o.weight_decay)},
          {"clip_grad_norm", static_cast<double>(o.clip_grad_norm)},
          {"metric", static_cast<int>(o.metric)},
          {"select_on", static_cast<int>(o.select_on)},
          {"patience", o.early_stopping.patience},
          {"monitor", static_cast<int>(o.early_stopping.monitor)},
          {"min_delta", o.early_stopping.min_delta},
          {"schedule", static_cast<bool>(o.make_schedule)}};
}

// Throws InvalidArgument naming every hyperparameter the checkpoint records with another value
// (checkpoints from before the record are not checked).
void check_hyperparameters(const Checkpoint& c, const TrainOptions& o) {
  if (!c.has_metadata("hyperparameters") || o.override_hyperparameters) return;
  Json recorded;
  try {
    recorded = Json::parse(c.metadata("hyperparameters"));
  } catch (const std::exception& e) {
    MOEGNN_FAIL(IoError, "Trainer::load_checkpoint", "metadata 'hyperparameters' is malformed (",
                e.what(), ") vs what save_checkpoint writes");
  }
  std::string changed;
  const Json current = hyperparameters(o);
  for (const auto& [key, now] : current.items())
    if (!recorded.contains(key) || recorded[key] != now)
      changed += (changed.empty() ? "" : ", ") + key + " " +
                 (recorded.contains(key) ? recorded[key].dump() : "?") + " -> " + now.dump();
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer::load_checkpoint", changed.empty(),
                  "the checkpoint was written with other settings (", changed,
                  ") vs the same settings to resume; pass the interrupted run's options, or "
                  "override them (TrainOptions::override_hyperparameters, --override)");
}

// Everything from the metadata, parsed before the trainer changes.
struct Meta {
  Index epoch = 0;
  std::vector<EpochRecord> history;
  EarlyStopping::State selection;
  EarlyStopping::State stopping;
  bool has_best = false;
};

Meta parse_meta(const Checkpoint& c, std::uint64_t seed) {
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer::load_checkpoint",
                  c.has_metadata("format") && c.metadata("format") == kFormat,
                  "metadata 'format' is '", c.has_metadata("format") ? c.metadata("format") : "",
                  "' vs '", kFormat, "'; not a training checkpoint");
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer::load_checkpoint",
                  c.has_metadata("seed") && c.metadata("seed") == std::to_string(seed),
                  "the checkpoint was written with seed ",
                  c.has_metadata("seed") ? c.metadata("seed") : "?", " vs ", seed,
                  " in the options; resume with the options of the interrupted run");
  Meta m;
  try {
    m.epoch = std::stoll(c.metadata("epoch"));
    for (const Json& r : Json::parse(c.metadata("history"))) m.history.push_back(record_of(r));
    m.selection = state_of(Json::parse(c.metadata("selection")));
    m.stopping = state_of(Json::parse(c.metadata("early_stopping")));
    m.has_best = c.metadata("has_best") == "1";
  } catch (const std::exception& e) {
    MOEGNN_FAIL(IoError, "Trainer::load_checkpoint", "metadata is malformed (", e.what(),
                ") vs what save_checkpoint writes");
  }
  MOEGNN_CHECK_AS(IoError, "Trainer::load_checkpoint",
                  m.epoch >= 0 && m.history.size() == static_cast<std::size_t>(m.epoch), "epoch ",
                  m.epoch, " with ", m.history.size(), " history entries vs one per epoch");
  return m;
}

}  // namespace

Checkpoint Trainer::to_checkpoint() const {
  Checkpoint c;
  ModelSnapshot::capture(model_).write(c, "model.", model_);
  if (!best_.empty()) best_.write(c, "best.", model_);
  if (optimizer_)
    for (const auto& [name, tensor] : optimizer_->state()) c.add("optimizer." + name, tensor);
  task_->write_state(c);
  c.add_int64(
      "rng",
      {std::bit_cast<std::int64_t>(rng_.seed()), std::bit_cast<std::int64_t>(rng_.counter())}, {2});
  Json history = Json::array();
  for (const EpochRecord& r : history_) history.push_back(to_json(r));
  c.set_metadata("format", kFormat);
  c.set_metadata("seed", std::to_string(options_.seed));
  c.set_metadata("epoch", std::to_string(epoch_));
  c.set_metadata("history", history.dump());
  c.set_metadata("selection", to_json(selection_.state()).dump());
  c.set_metadata("early_stopping", to_json(stopping_.state()).dump());
  c.set_metadata("has_best", best_.empty() ? "0" : "1");
  c.set_metadata("hyperparameters", hyperparameters(options_).dump());
  return c;
}

void Trainer::from_checkpoint(const Checkpoint& c) {
  // 1. Read and check everything.
  const Meta meta = parse_meta(c, options_.seed);
  check_hyperparameters(c, options_);
  const ModelSnapshot current = ModelSnapshot::read(c, "model.", model_);
  const ModelSnapshot best =
      meta.has_best ? ModelSnapshot::read(c, "best.", model_) : ModelSnapshot();
  optim::OptimizerState state;
  for (const std::string& name : c.names())
    if (name.starts_with("optimizer.")) state.emplace_back(name.substr(10), c.tensor(name));
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer::load_checkpoint", c.contains("rng"),
                  "no 'rng' entry vs [seed, counter]");
  const auto& rng = c.int64("rng");
  MOEGNN_CHECK_AS(InvalidArgument, "Trainer::load_checkpoint", rng.size() == 2, "'rng' has ",
                  rng.size(), " values vs 2 (seed, counter)");
  // 2. Apply: the optimizer and the task first, since they validate their own state and change
  // nothing on error.
  if (optimizer_) optimizer_->load_state(state);
  task_->read_state(c);
  current.restore(model_);
  best_ = best;
  rng_.set_state(std::bit_cast<std::uint64_t>(rng[0]), std::bit_cast<std::uint64_t>(rng[1]));
  epoch_ = meta.epoch;
  history_ = meta.history;
  selection_.load_state(meta.selection);
  stopping_.load_state(meta.stopping);
  if (schedule_) schedule_->set_epoch(epoch_);
}

void Trainer::save_checkpoint(const std::filesystem::path& path) const {
  to_checkpoint().save(path);
}

void Trainer::load_checkpoint(const std::filesystem::path& path) {
  from_checkpoint(Checkpoint::load(path));
}

}  // namespace moegnn::training
