// SPDX-License-Identifier: Apache-2.0
// Losses on the tape; each returns a 1 × 1 mean over the selected rows. A non-finite loss throws
// InvalidArgument ("loss is NaN ..."), so a diverging run stops with a message instead of garbage.
#pragma once

#include "core/index_array.h"
#include "core/tape.h"

namespace moegnn::ops {

// logits: m × C; labels: m entries in [0, C). rows: the subset of rows to average over (e.g. the
// training nodes), or empty for all rows; a repeated row counts once per occurrence. Only the labels
// of selected rows are read, so unlabelled rows may hold any value (e.g. -1). Throws
// InvalidArgument on a label or row out of range, a label count other than m, or no rows.
Var cross_entropy(Tape& tape, Var logits, const IndexArray32& labels, const IndexArray32& rows = {});
// Same with log-probabilities as input (after log_softmax).
Var nll_loss(Tape& tape, Var log_probs, const IndexArray32& labels, const IndexArray32& rows = {});
// Binary cross-entropy on logits, stable form max(z,0) - z·t + log(1 + e^-|z|); targets in [0, 1],
// same shape as logits.
Var bce_with_logits(Tape& tape, Var logits, const Tensor& targets);
// Mean squared error against a constant target of the same shape.
Var mse(Tape& tape, Var prediction, const Tensor& target);
// Σ over vars of Σ x² (1 × 1), times `scale` (e.g. weight_decay / 2).
Var l2_penalty(Tape& tape, const std::vector<Var>& vars, float scale = 1.0f);

}  // namespace moegnn::ops
