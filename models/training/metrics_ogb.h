// SPDX-License-Identifier: Apache-2.0
// Node- and graph-classification metrics computed exactly as OGB's Evaluator (ogb/nodeproppred/
// evaluate.py) and scikit-learn compute them, so numbers are comparable with published OGB
// leaderboards: accuracy ('acc'), ROC-AUC for one binary task and OGB's 'rocauc' (mean over the
// tasks that have both classes, ogbn-proteins), and macro-F1 (sklearn f1_score(average='macro'),
// which OGB does not offer). All sums are in double; tests/models/training/metrics_test.cpp checks
// them against fixtures written by the ogb package (tests/data/make_metrics_fixtures.py).
#pragma once

#include <span>

#include "core/index_array.h"
#include "core/tensor.h"

namespace moegnn::training {

// Fraction of positions where y_pred equals y_true (OGB 'acc' for one task). Throws
// InvalidArgument on a size mismatch or empty input.
double accuracy_score(const IndexArray32& y_true, const IndexArray32& y_pred);

// Unweighted mean over classes of F1 = 2·TP / (2·TP + FP + FN), over the classes that occur in
// y_true or y_pred (sklearn's label set; an absent class would add a 0 there, so it is skipped).
// Throws InvalidArgument on a size mismatch or empty input.
double macro_f1_score(const IndexArray32& y_true, const IndexArray32& y_pred);

// Area under the ROC curve of scores for binary labels (1 positive, 0 negative): the probability
// that a random positive scores above a random negative, ties counting one half (equal to
// sklearn.metrics.roc_auc_score). Throws InvalidArgument on a size mismatch, a label other than
// 0/1, a NaN score, or labels of one class only (AUC undefined).
double roc_auc_score(std::span<const float> y_true, std::span<const float> y_score);

// OGB 'rocauc' for multi-task binary labels: y_true and y_score are num_items × num_tasks; NaN in
// y_true marks an unlabelled entry. Each task with at least one 1 and one 0 contributes the ROC-AUC
// of its labelled entries; the result is their mean. Throws InvalidArgument on a shape mismatch,
// tensors not on the CPU, a label other than 0/1/NaN, or no task with both classes (OGB raises
// there too).
double rocauc_per_task(const Tensor& y_true, const Tensor& y_score);

// OGB 'rmse' (graph property regression, ogbg-molesol / -mollipo / -molfreesolv): y_true and y_pred
// are num_items × num_tasks; per task, the square root of the mean squared error over the
// entries whose y_true is not NaN; the result is the mean over tasks that have such an entry.
// Throws InvalidArgument on a shape mismatch, tensors not on the CPU, a NaN prediction for a
// labelled entry, or no labelled entry at all.
double rmse_per_task(const Tensor& y_true, const Tensor& y_pred);

}  // namespace moegnn::training
