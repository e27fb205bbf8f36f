// SPDX-License-Identifier: Apache-2.0
// OGB / scikit-learn classification metrics. ROC-AUC uses the rank form of the Mann-Whitney U
// statistic with average ranks for ties, which is exactly the trapezoidal area under sklearn's
// ROC curve (ties make a diagonal segment, i.e. count one half).
#include "models/training/metrics_ogb.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>
#include <vector>

#include "core/error.h"

namespace moegnn::training {
namespace {

void check_pair(const IndexArray32& y_true, const IndexArray32& y_pred, const char* function) {
  MOEGNN_CHECK_AS(InvalidArgument, function, y_true.size() == y_pred.size(), "y_true has ",
                  y_true.size(), " entries vs ", y_pred.size(), " in y_pred");
  MOEGNN_CHECK_AS(InvalidArgument, function, !y_true.empty(), "inputs are empty vs at least one");
}

// AUC of (label, score) pairs with labels already checked to be 0/1 and scores not NaN.
// Returns NaN when one class is missing.
double auc_of(std::vector<std::pair<float, bool>>& items) {
  std::sort(items.begin(), items.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  double positives = 0.0;
  double rank_sum = 0.0;  // 1-based ranks of the positives, ties sharing their average rank
  std::size_t i = 0;
  while (i < items.size()) {
    std::size_t j = i;
    double group_pos = 0.0;
    while (j < items.size() && items[j].first == items[i].first) group_pos += items[j++].second;
    const double average_rank = 0.5 * static_cast<double>(i + 1 + j);  // mean of i+1 .. j
    rank_sum += group_pos * average_rank;
    positives += group_pos;
    i = j;
  }
  const double negatives = static_cast<double>(items.size()) - positives;
  if (positives == 0.0 || negatives == 0.0) return std::nan("");
  return (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives);
}

bool is_binary(float label) { return label == 0.0f || label == 1.0f; }

}  // namespace

double accuracy_score(const IndexArray32& y_true, const IndexArray32& y_pred) {
  check_pair(y_true, y_pred, "accuracy_score");
  const auto t = y_true.host();
  const auto p = y_pred.host();
  Index correct = 0;
  for (std::size_t i = 0; i < t.size(); ++i) correct += t[i] == p[i] ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(t.size());
}

double macro_f1_score(const IndexArray32& y_true, const IndexArray32& y_pred) {
  check_pair(y_true, y_pred, "macro_f1_score");
  struct Counts {
    Index tp = 0, fp = 0, fn = 0;
  };
  std::unordered_map<std::int32_t, Counts> classes;
  const auto t = y_true.host();
  const auto p = y_pred.host();
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == p[i]) {
      ++classes[t[i]].tp;
    } else {
      ++classes[p[i]].fp;
      ++classes[t[i]].fn;
    }
  }
  // Sum in class order so the result does not depend on the hash map's iteration order.
  std::vector<std::int32_t> labels;
  for (const auto& kv : classes) labels.push_back(kv.first);
  std::sort(labels.begin(), labels.end());
  double sum = 0.0;
  for (const std::int32_t c : labels) {
    const Counts& k = classes[c];
    sum += 2.0 * static_cast<double>(k.tp) / static_cast<double>(2 * k.tp + k.fp + k.fn);
  }
  return sum / static_cast<double>(labels.size());
}

double roc_auc_score(std::span<const float> y_true, std::span<const float> y_score) {
  MOEGNN_CHECK(y_true.size() == y_score.size(), "y_true has ", y_true.size(), " entries vs ",
               y_score.size(), " in y_score");
  std::vector<std::pair<float, bool>> items(y_true.size());
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    MOEGNN_CHECK(is_binary(y_true[i]), "y_true[", i, "] = ", y_true[i], " vs 0 or 1");
    MOEGNN_CHECK(!std::isnan(y_score[i]), "y_score[", i, "] is NaN vs a number");
    items[i] = {y_score[i], y_true[i] == 1.0f};
  }
  const double auc = auc_of(items);
  MOEGNN_CHECK(!std::isnan(auc), "y_true holds one class only vs both 0 and 1; ROC-AUC is "
                                 "undefined");
  return auc;
}

double rocauc_per_task(const Tensor& y_true, const Tensor& y_score) {
  MOEGNN_CHECK(y_true.same_shape(y_score), "y_true is ", y_true.shape_string(), " vs y_score ",
               y_score.shape_string());
  MOEGNN_CHECK(y_true.device() == Device::Cpu && y_score.device() == Device::Cpu, "inputs are on ",
               to_string(y_true.device()), " and ", to_string(y_score.device()), " vs cpu");
  const auto t = y_true.host();
  const auto s = y_score.host();
  double sum = 0.0;
  Index tasks = 0;
  std::vector<std::pair<float, bool>> items;
  for (Index task = 0; task < t.cols(); ++task) {
    items.clear();
    for (Index i = 0; i < t.rows(); ++i) {
      const float label = t(i, task);
      if (std::isnan(label)) continue;  // unlabelled, as OGB's y_true == y_true mask
      MOEGNN_CHECK(is_binary(label), "y_true(", i, ", ", task, ") = ", label, " vs 0, 1 or NaN");
      MOEGNN_CHECK(!std::isnan(s(i, task)), "y_score(", i, ", ", task, ") is NaN vs a number");
      items.emplace_back(s(i, task), label == 1.0f);
    }
    const double auc = auc_of(items);
    if (std::isnan(auc)) continue;  // OGB skips tasks without both classes
    sum += auc;
    ++tasks;
  }
  MOEGNN_CHECK(tasks > 0, "no task has both a positive and a negative label vs at least one; "
                          "ROC-AUC is undefined");
  return sum / static_cast<double>(tasks);
}

double rmse_per_task(const Tensor& y_true, const Tensor& y_pred) {
  MOEGNN_CHECK(y_true.same_shape(y_pred), "y_true is ", y_true.shape_string(), " vs y_pred ",
               y_pred.shape_string());
  MOEGNN_CHECK(y_true.device() == Device::Cpu && y_pred.device() == Device::Cpu, "inputs are on ",
               to_string(y_true.device()), " and ", to_string(y_pred.device()), " vs cpu");
  const auto t = y_true.host();
  const auto p = y_pred.host();
  double sum = 0.0;
  Index tasks = 0;
  for (Index task = 0; task < t.cols(); ++task) {
    double squares = 0.0;
    Index count = 0;
    for (Index i = 0; i < t.rows(); ++i) {
      if (std::isnan(t(i, task))) continue;  // unlabelled, as OGB's y_true == y_true mask
      MOEGNN_CHECK(!std::isnan(p(i, task)), "y_pred(", i, ", ", task, ") is NaN vs a number");
      const double d = static_cast<double>(p(i, task)) - static_cast<double>(t(i, task));
      squares += d * d;
      ++count;
    }
    if (count == 0) continue;
    sum += std::sqrt(squares / static_cast<double>(count));
    ++tasks;
  }
  MOEGNN_CHECK(tasks > 0, "no labelled entry vs at least one; RMSE is undefined");
  return sum / static_cast<double>(tasks);
}

}  // namespace moegnn::training
