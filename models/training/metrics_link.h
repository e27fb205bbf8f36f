// SPDX-License-Identifier: Apache-2.0
// Link-prediction metrics computed exactly as OGB's linkproppred Evaluator (ogb 1.3.6,
// ogb/linkproppred/evaluate.py): Hits@K against one shared set of negatives (ogbl-collab, -ddi,
// -ppa) and MRR against per-positive negatives (ogbl-citation2, -wikikg2). Checked against
// fixtures written by the ogb package (tests/data/make_metrics_fixtures.py).
#pragma once

#include <span>

#include "core/tensor.h"

namespace moegnn::training {

// OGB Hits@K: the fraction of positives whose score is strictly greater than the K-th highest
// negative score; 1.0 when there are fewer than K negatives (OGB's convention). Throws
// InvalidArgument for k < 1, no positives, or a NaN score.
double hits_at_k(std::span<const float> pos_scores, std::span<const float> neg_scores, Index k);

// Average precision of positives against negatives (sklearn's average_precision_score with labels
// 1 / 0): Σ_n (R_n − R_{n−1}) P_n over the distinct scores in decreasing order, tied scores forming
// one threshold. Throws InvalidArgument for no positives, no negatives, or a NaN score.
double average_precision(std::span<const float> pos_scores, std::span<const float> neg_scores);

// OGB's ranking metrics for one positive per row against that row's negatives.
struct RankingMetrics {
  double mrr = 0.0;     // mean of 1 / rank
  double hits1 = 0.0;   // fraction with rank <= 1
  double hits3 = 0.0;   // rank <= 3
  double hits10 = 0.0;  // rank <= 10
};

// rank_i = 1 + (#{neg > pos_i} + #{neg >= pos_i}) / 2: OGB's mean of the optimistic and the
// pessimistic rank, so a positive tied with t negatives is placed in the middle of them.
// pos_scores: n entries; neg_scores: n × m, row i the negatives of positive i. Throws
// InvalidArgument on a size mismatch, n == 0, a tensor not on the CPU, or a NaN score.
RankingMetrics ranking_metrics(std::span<const float> pos_scores, const Tensor& neg_scores);

}  // namespace moegnn::training
