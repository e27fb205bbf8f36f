// SPDX-License-Identifier: Apache-2.0
// Training of Mowst and Mowst* (Zeng et al., ICLR 2024), full-batch and transductive.
// Mowst (§4 of the spec, the paper's Eq. 1 loss): L = mean_train[C·CE(z1) + (1 − C)·CE(z2)],
// minimised in alternating turns: the weak expert and the gate with the strong expert frozen,
// then the strong expert with the others frozen, each turn with its own early stopping on the
// validation accuracy expected under random routing; rounds of turns stop when neither improves.
// Mowst* (Eq. 3): one loss on the mixture C·p + (1 − C)·p', all modules trained jointly, model
// kept at the lowest validation loss. docs/mowst.md lists where this differs from the reference.
// The procedure is a training::Task (models/mowst/task.h) run by the Trainer, so it has the
// Trainer's checkpoints, resume, JSON-lines log and progress bar.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include "core/tensor.h"
#include "models/mowst/mowst.h"
#include "models/training/options.h"

namespace moegnn::mowst {

enum class Variant { Mowst, MowstStar };
enum class Pretrain { None, Weak, Strong, Both };  // train an expert alone first (reference §6)
enum class StarMix { Probabilities, Logits };      // Mowst* mixes p (paper) or logits (code)

struct MowstTrainOptions {
  Variant variant = Variant::Mowst;
  float lr = 0.01f;       // experts
  float lr_gate = 0.01f;  // gate
  float weight_decay = 5e-4f;
  bool adamw = true;  // AdamW (reference default); false: Adam with coupled L2
  Pretrain pretrain = Pretrain::None;
  Index pretrain_epochs = 500;
  Index pretrain_patience = 50;  // on validation loss
  // Mowst: rounds of (weak turn, strong turn).
  Index max_rounds = 10;
  Index round_patience = 2;  // stop after this many rounds without a better validation score
  Index turn_epochs = 300;
  Index turn_patience = 30;  // epochs without a better expected validation accuracy
  // Mowst*: joint epochs, early stopping on validation loss (0: run all epochs, as the reference).
  Index epochs = 500;
  Index patience = 50;
  StarMix star_mix = StarMix::Probabilities;
  std::uint64_t seed = 1;  // dropout masks
  // The Trainer's outputs (models/training/options.h): a checkpoint every epoch (empty: none),
  // resuming from it, a JSON-lines log, a progress bar on a terminal.
  std::filesystem::path checkpoint_path{};
  bool resume = false;
  bool override_hyperparameters = false;  // resume with other lr, weight decay or epochs
  std::filesystem::path log_path{};
  bool progress = false;
  // Called after each epoch, once its log line and checkpoint are written.
  std::function<void(const training::EpochRecord&)> on_epoch{};
};

enum class Phase { PretrainWeak, PretrainStrong, WeakTurn, StrongTurn, Joint };
const char* to_string(Phase phase);

// One training epoch: the loss it minimised and the validation score after it (Mowst: expected
// accuracy; Mowst*: accuracy of the mixture prediction; pretraining: the expert's accuracy).
struct CurvePoint {
  Index step = 0;  // global epoch counter, 1-based
  Phase phase = Phase::Joint;
  Index round = 0;  // Mowst round, 0 for pretraining and Mowst*
  double loss = 0.0;
  double val_metric = 0.0;
  double val_loss = 0.0;         // Mowst*: mixture loss on val; NaN elsewhere
  double mean_confidence = 0.0;  // mean C over the validation nodes
};

struct MowstFit {
  std::vector<CurvePoint> curve;
  double best_val = 0.0;  // the selection score of the kept model
  Index rounds = 0;       // Mowst rounds run
  double seconds = 0.0;
};

// Trains `model` in place on `graphs` (from model.prepare) and features x (num_nodes × F); the
// kept model (weak, strong and gate, batch-norm statistics included) is restored at the end. With
// options.resume and an existing checkpoint it continues the interrupted run and ends as the
// uninterrupted run would. Throws InvalidArgument for empty train or validation sets, x's rows
// differing from the graph's nodes, or labels out of range; IoError for checkpoint I/O.
MowstFit train_mowst(Mowst& model, const MowstGraphs& graphs, const Tensor& x,
                     const training::LabeledSplit& split, Index num_classes,
                     const MowstTrainOptions& options);

}  // namespace moegnn::mowst
