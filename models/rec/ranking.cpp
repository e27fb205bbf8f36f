// SPDX-License-Identifier: Apache-2.0
// Batched scoring (Eigen GEMM per user block), masked bounded-heap top-K, per-user metrics.
#include "models/rec/ranking.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>

#include "core/error.h"
#include "core/parallel.h"
#include "models/rec/user_items.h"

namespace moegnn::rec {
namespace {

constexpr Index kBlockScores = 1 << 22;  // scores per user block (16 MiB of floats)

struct Scored {
  float score;
  std::int32_t item;
};
// "a ranks before b": higher score, then lower item id.
bool before(const Scored& a, const Scored& b) {
  return a.score > b.score || (a.score == b.score && a.item < b.item);
}

// True when one of the 64 scores at `scores` exceeds t: 64-byte vector compares (GCC/Clang vector
// extensions, lowered to whatever the target has), OR-folded; the scalar loop is not vectorised by
// GCC 12.
constexpr Index kChunk = 64;
bool any_above(const float* scores, float t) {
  using Floats = float __attribute__((vector_size(64)));
  using Mask = std::int32_t __attribute__((vector_size(64)));
  Mask any{};
  for (Index c = 0; c < kChunk; c += 16) {
    Floats v;
    std::memcpy(&v, scores + c, sizeof v);
    any |= v > t;
  }
  std::int32_t lanes[16];
  std::memcpy(lanes, &any, sizeof lanes);
  std::int32_t folded = 0;
  for (const std::int32_t lane : lanes) folded |= lane;
  return folded != 0;
}

// Top-k of one score row (training items already −∞), best first, into `heap` (reused).
// Once k items are kept, item i (larger than every kept id) enters only if its score beats the
// worst kept score strictly, so the row is scanned in chunks against that threshold and only a
// chunk holding such a score is walked item by item (the threshold rises fast: ~k ln(n / k)
// entries in a row of n). The result equals the plain heap walk's, NaNs included (they never
// beat a threshold).
void top_k_row(const float* scores, Index num_items, Index k, std::vector<Scored>& heap) {
  heap.clear();
  Index i = 0;
  for (; i < num_items && static_cast<Index>(heap.size()) < k; ++i) {
    heap.push_back({scores[i], static_cast<std::int32_t>(i)});
    std::push_heap(heap.begin(), heap.end(), before);  // front: the worst kept
  }
  const auto offer = [&](Index j) {
    if (!(scores[j] > heap.front().score)) return;
    std::pop_heap(heap.begin(), heap.end(), before);
    heap.back() = {scores[j], static_cast<std::int32_t>(j)};
    std::push_heap(heap.begin(), heap.end(), before);
  };
  for (; i + kChunk <= num_items; i += kChunk)
    if (any_above(scores + i, heap.front().score))
      for (Index j = i; j < i + kChunk; ++j) offer(j);
  for (; i < num_items; ++i) offer(i);
  std::sort_heap(heap.begin(), heap.end(), before);  // best first
}

void check_inputs(const Tensor& users, const Tensor& items, const graph::Csr& exclude,
                  const char* function) {
  MOEGNN_CHECK_AS(InvalidArgument, function,
                  users.device() == Device::Cpu && items.device() == Device::Cpu &&
                      users.cols() == items.cols(),
                  "users ", users.shape_string(), " and items ", items.shape_string(),
                  " vs CPU tensors with equal columns");
  MOEGNN_CHECK_AS(InvalidArgument, function,
                  exclude.num_rows() == users.rows() && exclude.num_cols() == items.rows(),
                  "exclude lists ", exclude.num_rows(), " × ", exclude.num_cols(),
                  " users × items vs ", users.rows(), " × ", items.rows());
}

void check_k(Index k, Index num_items, const char* function) {
  MOEGNN_CHECK_AS(InvalidArgument, function, k >= 1 && k <= num_items, "K ", k, " vs [1, ",
                  num_items, "] (the number of items)");
}

// Scores of users [lo, hi) into `block` ((hi − lo) × I), training items set to −∞.
void score_block(const Tensor& users, const Tensor& items, const graph::Csr& exclude, Index lo,
                 Index hi, Matrix& block) {
  block.noalias() = users.host().middleRows(lo, hi - lo) * items.host().transpose();
  for (Index u = lo; u < hi; ++u)
    for (const std::int32_t i : items_of(exclude, u))
      block(u - lo, i) = -std::numeric_limits<float>::infinity();
}

constexpr std::size_t kValues = 5;  // per user and K: recall, precision, ndcg, hr, mrr

// The kValues metrics of one user at every K of `ks` into out[c · kValues + v], from its ranked
// list `top` (at least ks.back() items, best first) and its sorted held-out items.
void user_metrics(const std::vector<Scored>& top, std::span<const graph::NodeId> held,
                  const std::vector<Index>& ks, double* out) {
  for (std::size_t c = 0; c < ks.size(); ++c) {
    const Index k = ks[c];
    double hits = 0.0, dcg = 0.0, idcg = 0.0, rr = 0.0;
    for (Index r = 0; r < k; ++r) {
      if (!std::binary_search(held.begin(), held.end(), top[static_cast<std::size_t>(r)].item))
        continue;
      hits += 1.0;
      dcg += 1.0 / std::log2(static_cast<double>(r) + 2.0);
      if (rr == 0.0) rr = 1.0 / (static_cast<double>(r) + 1.0);
    }
    const Index ideal = std::min<Index>(k, static_cast<Index>(held.size()));
    for (Index j = 0; j < ideal; ++j) idcg += 1.0 / std::log2(static_cast<double>(j) + 2.0);
    double* v = out + c * kValues;
    v[0] = hits / static_cast<double>(held.size());
    v[1] = hits / static_cast<double>(k);
    v[2] = dcg / idcg;
    v[3] = hits > 0.0 ? 1.0 : 0.0;
    v[4] = rr;
  }
}

}  // namespace

double RankingMetrics::at(const std::string& name, Index k) const {
  const auto it = std::find(ks.begin(), ks.end(), k);
  MOEGNN_CHECK(it != ks.end(), "K ", k, " was not evaluated vs one of the ks");
  const auto c = static_cast<std::size_t>(it - ks.begin());
  if (name == "recall") return recall[c];
  if (name == "precision") return precision[c];
  if (name == "f1") return f1[c];
  if (name == "ndcg") return ndcg[c];
  if (name == "hr") return hit_rate[c];
  if (name == "mrr") return mrr[c];
  MOEGNN_CHECK(false, "metric '", name, "' vs recall, precision, f1, ndcg, hr, mrr");
  return 0.0;
}

RankingMetrics evaluate_ranking(const Tensor& users, const Tensor& items, const graph::Csr& exclude,
                                const graph::Csr& truth, const std::vector<Index>& ks) {
  // 1. Validate.
  check_inputs(users, items, exclude, "evaluate_ranking");
  MOEGNN_CHECK(truth.num_rows() == users.rows() && truth.num_cols() == items.rows(), "truth lists ",
               truth.num_rows(), " × ", truth.num_cols(), " vs ", users.rows(), " × ",
               items.rows());
  MOEGNN_CHECK(!ks.empty() && std::is_sorted(ks.begin(), ks.end()), "ks (", ks.size(),
               " values) vs a non-empty ascending list");
  for (const Index k : ks) check_k(k, items.rows(), "evaluate_ranking");
  const Index num_users = users.rows(), num_items = items.rows(), max_k = ks.back();
  const auto nk = ks.size();
  Index evaluated = 0;
  for (Index u = 0; u < num_users; ++u) evaluated += items_of(truth, u).empty() ? 0 : 1;
  MOEGNN_CHECK(evaluated > 0, "no user has a held-out item vs at least one; the split is empty ",
               "(check the split fractions and the cold-start filtering)");
  // 2. Per user and K: the kValues metrics, in parallel user blocks.
  std::vector<double> per_user(static_cast<std::size_t>(num_users) * nk * kValues, 0.0);
  const Index rows = std::max<Index>(1, std::min<Index>(256, kBlockScores / num_items));
  const Index blocks = (num_users + rows - 1) / rows;
  parallel_for(
      0, blocks,
      [&](Index b) {
        const Index lo = b * rows, hi = std::min(num_users, lo + rows);
        Matrix block(hi - lo, num_items);
        score_block(users, items, exclude, lo, hi, block);
        std::vector<Scored> heap;
        for (Index u = lo; u < hi; ++u) {
          const auto held = items_of(truth, u);
          if (held.empty()) continue;
          top_k_row(block.row(u - lo).data(), num_items, max_k, heap);
          user_metrics(heap, held, ks,
                       per_user.data() + static_cast<std::size_t>(u) * nk * kValues);
        }
      },
      1);
  // 3. Means over the evaluated users, summed in user order.
  RankingMetrics m;
  m.ks = ks;
  m.num_users = evaluated;
  std::vector<double> sum(nk * kValues, 0.0);
  for (Index u = 0; u < num_users; ++u)
    for (std::size_t j = 0; j < nk * kValues; ++j)
      sum[j] += per_user[static_cast<std::size_t>(u) * nk * kValues + j];
  const auto n = static_cast<double>(evaluated);
  for (std::size_t c = 0; c < nk; ++c) {
    const double r = sum[c * kValues] / n, p = sum[c * kValues + 1] / n;
    m.recall.push_back(r);
    m.precision.push_back(p);
    m.f1.push_back(r + p > 0.0 ? 2.0 * p * r / (p + r) : 0.0);
    m.ndcg.push_back(sum[c * kValues + 2] / n);
    m.hit_rate.push_back(sum[c * kValues + 3] / n);
    m.mrr.push_back(sum[c * kValues + 4] / n);
  }
  return m;
}

std::vector<std::int32_t> top_k_items(const Tensor& users, const Tensor& items,
                                      const graph::Csr& exclude, Index user, Index k) {
  check_inputs(users, items, exclude, "top_k_items");
  MOEGNN_CHECK(user >= 0 && user < users.rows(), "user ", user, " vs [0, ", users.rows(), ")");
  check_k(k, items.rows(), "top_k_items");
  Matrix block(1, items.rows());
  score_block(users, items, exclude, user, user + 1, block);
  std::vector<Scored> heap;
  top_k_row(block.data(), items.rows(), k, heap);
  std::vector<std::int32_t> out;
  for (const Scored& s : heap) out.push_back(s.item);
  return out;
}

}  // namespace moegnn::rec
