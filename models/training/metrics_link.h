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
