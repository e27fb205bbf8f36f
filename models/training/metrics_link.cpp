// SPDX-License-Identifier: Apache-2.0
// OGB link-prediction metrics. MRR rows are independent, so they run in parallel; their sums are
// combined in fixed chunks (core/parallel.h), so results do not depend on the thread count.
#include "models/training/metrics_link.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"

namespace moegnn::training {
namespace {

void check_not_nan(std::span<const float> scores, const char* function, const char* name) {
  for (std::size_t i = 0; i < scores.size(); ++i)
    MOEGNN_CHECK_AS(InvalidArgument, function, !std::isnan(scores[i]), name, "[", i,
                    "] is NaN vs a number");
}

}  // namespace

double hits_at_k(std::span<const float> pos_scores, std::span<const float> neg_scores, Index k) {
  MOEGNN_CHECK(k >= 1, "k is ", k, " vs >= 1");
  MOEGNN_CHECK(!pos_scores.empty(), "pos_scores is empty vs at least one positive");
  check_not_nan(pos_scores, "hits_at_k", "pos_scores");
  check_not_nan(neg_scores, "hits_at_k", "neg_scores");
  if (static_cast<Index>(neg_scores.size()) < k) return 1.0;  // OGB: too few negatives
  std::vector<float> neg(neg_scores.begin(), neg_scores.end());
  // The K-th highest negative: np.sort(y_pred_neg)[-K].
  std::nth_element(neg.begin(), neg.begin() + (k - 1), neg.end(), std::greater<float>());
  const float kth = neg[static_cast<std::size_t>(k - 1)];
  Index hits = 0;
  for (const float s : pos_scores) hits += s > kth ? 1 : 0;
  return static_cast<double>(hits) / static_cast<double>(pos_scores.size());
}

double average_precision(std::span<const float> pos_scores, std::span<const float> neg_scores) {
  MOEGNN_CHECK(!pos_scores.empty(), "pos_scores is empty vs at least one positive");
  MOEGNN_CHECK(!neg_scores.empty(), "neg_scores is empty vs at least one negative");
  check_not_nan(pos_scores, "average_precision", "pos_scores");
  check_not_nan(neg_scores, "average_precision", "neg_scores");
  std::vector<std::pair<float, int>> all;
  all.reserve(pos_scores.size() + neg_scores.size());
  for (const float s : pos_scores) all.emplace_back(s, 1);
  for (const float s : neg_scores) all.emplace_back(s, 0);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  const auto total_pos = static_cast<double>(pos_scores.size());
  double tp = 0.0;
  double seen = 0.0;
  double recall_prev = 0.0;
  double ap = 0.0;
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    for (; j < all.size() && all[j].first == all[i].first; ++j) {
      tp += all[j].second;
      seen += 1.0;
    }
    const double recall = tp / total_pos;
    ap += (recall - recall_prev) * (tp / seen);
    recall_prev = recall;
    i = j;
  }
  return ap;
}

RankingMetrics ranking_metrics(std::span<const float> pos_scores, const Tensor& neg_scores) {
  const auto n = static_cast<Index>(pos_scores.size());
  MOEGNN_CHECK(n > 0, "pos_scores is empty vs at least one positive");
  MOEGNN_CHECK(neg_scores.rows() == n, "neg_scores has ", neg_scores.rows(), " rows vs ", n,
               " positives");
  MOEGNN_CHECK(neg_scores.device() == Device::Cpu, "neg_scores is on ",
               to_string(neg_scores.device()), " vs cpu");
  check_not_nan(pos_scores, "ranking_metrics", "pos_scores");
  const Index m = neg_scores.cols();
  const float* neg = neg_scores.data();
  check_not_nan({neg, static_cast<std::size_t>(n * m)}, "ranking_metrics", "neg_scores");
  using Sums = std::array<double, 4>;  // 1/rank, rank <= 1, rank <= 3, rank <= 10
  const Sums total = deterministic_reduce(
      Index{0}, n, Sums{},
      [&](Index lo, Index hi) {
        Sums s{};
        for (Index i = lo; i < hi; ++i) {
          const float p = pos_scores[static_cast<std::size_t>(i)];
          const float* row = neg + i * m;
          Index greater = 0;
          Index greater_equal = 0;
          for (Index j = 0; j < m; ++j) {
            greater += row[j] > p ? 1 : 0;
            greater_equal += row[j] >= p ? 1 : 0;
          }
          const double rank = 0.5 * static_cast<double>(greater + greater_equal) + 1.0;
          s[0] += 1.0 / rank;
          s[1] += rank <= 1.0 ? 1.0 : 0.0;
          s[2] += rank <= 3.0 ? 1.0 : 0.0;
          s[3] += rank <= 10.0 ? 1.0 : 0.0;
        }
        return s;
      },
      [](Sums a, const Sums& b) {
        for (std::size_t i = 0; i < a.size(); ++i) a[i] += b[i];
        return a;
      },
      256);
  const double count = static_cast<double>(n);
  return {total[0] / count, total[1] / count, total[2] / count, total[3] / count};
}

}  // namespace moegnn::training
