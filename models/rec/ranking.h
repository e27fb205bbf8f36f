// SPDX-License-Identifier: Apache-2.0
// Full-ranking evaluation: every user with held-out items is scored against ALL items by the dot
// product of the final embeddings, the user's training items are masked to −∞ (Sheaf4Rec multiplies
// the scores by (1 − M_train), i.e. sets them to 0, so with negative scores a training item can
// still outrank unseen items and occupy a top-K slot; −∞ removes them for sure), and the top-K list
// is compared with the held-out items. It scales: users go in batches (a batch × num_items score
// block, never the dense U × I matrix), each user keeps a partial top-K by a bounded heap (no full
// sort), batches run in parallel (core/parallel.h), and per-user results are summed in user order,
// so the metrics are the same on any thread count. Ties rank the lower item id first.
// Per user u with held-out set T_u and hits at 1-based ranks r <= K:
//   Recall@K = |hits| / |T_u|; Precision@K = |hits| / K; HR@K = [|hits| > 0];
//   NDCG@K = Σ_hits 1/log2(r + 1) ÷ Σ_{j=1}^{min(K, |T_u|)} 1/log2(j + 1) (binary gains);
//   MRR@K = 1 / (rank of the first hit), 0 without one (the standard definition; Sheaf4Rec's
//   "MRR" sums 1/r over all hits and normalises like NDCG);
// each averaged over the users with |T_u| > 0, and F1@K = 2 P̄ R̄ / (P̄ + R̄) from the averaged
// precision and recall (as Sheaf4Rec computes it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "graph/csr.h"

namespace moegnn::rec {

struct RankingMetrics {
  std::vector<Index> ks;
  std::vector<double> recall, precision, f1, ndcg, hit_rate, mrr;  // one entry per K
  Index num_users = 0;                                             // users evaluated

  // The value of metric `name` ("recall", "precision", "f1", "ndcg", "hr", "mrr") at K. Throws
  // InvalidArgument for an unknown name or a K that was not evaluated.
  double at(const std::string& name, Index k) const;
};

// users: U × d, items: I × d (CPU); exclude: the items masked per user (training), truth: the
// held-out items per user (both over U users). Throws InvalidArgument for empty or unsorted ks, a
// K outside [1, I] (naming the range), mismatched shapes, or no user with a held-out item (an empty
// split has no metric).
RankingMetrics evaluate_ranking(const Tensor& users, const Tensor& items, const graph::Csr& exclude,
                                const graph::Csr& truth, const std::vector<Index>& ks);

// The top-k items of `user` (best first) with `exclude`'s items of that user masked. Throws
// InvalidArgument for a user outside [0, U) or k outside [1, I].
std::vector<std::int32_t> top_k_items(const Tensor& users, const Tensor& items,
                                      const graph::Csr& exclude, Index user, Index k);

}  // namespace moegnn::rec
