// SPDX-License-Identifier: Apache-2.0
// BPR triples (parallel, counter-based draws) and the fused loss / L2 tape nodes, whose backward
// rules add into the rows of the batch only.
#include "models/rec/bpr.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/parallel.h"
#include "models/rec/user_items.h"

namespace moegnn::rec {

BprSampler::BprSampler(const graph::Csr& train, Index num_items)
    : train_(train),
      num_items_(num_items) {
  MOEGNN_CHECK_AS(InvalidArgument, "BprSampler",
                  train.num_edges() > 0 && num_items >= 1 && train.num_cols() == num_items &&
                      train.device() == Device::Cpu,
                  train.num_edges(), " training interactions over ", train.num_cols(),
                  " columns vs at least one, over the ", num_items, " items, on the CPU");
  owner_.resize(static_cast<std::size_t>(train.num_edges()));
  const auto row_ptr = train.row_ptr().host();
  for (Index u = 0; u < train.num_rows(); ++u) {
    const auto n = static_cast<Index>(items_of(train, u).size());
    MOEGNN_CHECK_AS(InvalidArgument, "BprSampler", n < num_items, "user ", u, " has ", n,
                    " training items vs fewer than all ", num_items, " (no negative to draw)");
    for (auto k = row_ptr[static_cast<std::size_t>(u)];
         k < row_ptr[static_cast<std::size_t>(u) + 1]; ++k)
      owner_[static_cast<std::size_t>(k)] = static_cast<std::int32_t>(u);
  }
}

std::vector<BprBatch> BprSampler::epoch(Rng& rng, Index batch_size) const {
  MOEGNN_CHECK_AS(InvalidArgument, "BprSampler::epoch", batch_size >= 1, "batch_size ", batch_size,
                  " vs >= 1");
  const Index n = train_.num_edges();
  const std::uint64_t key = rng.split();
  // 1. A permutation of the interactions (Fisher-Yates on the epoch's stream).
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  for (Index k = 0; k < n; ++k) order[static_cast<std::size_t>(k)] = k;
  Rng shuffle(key);
  for (std::size_t k = order.size(); k > 1; --k)
    std::swap(order[k - 1], order[static_cast<std::size_t>(shuffle.below(k))]);
  // 2. Triples, filled in parallel; triple t draws its negative from a stream keyed by t.
  std::vector<std::int32_t> users(order.size()), pos(order.size()), neg(order.size());
  const auto offset = static_cast<std::int32_t>(train_.num_rows());
  const graph::NodeId* col_idx = train_.col_idx().host().data();
  const auto items = static_cast<std::uint64_t>(num_items_);
  const std::uint64_t neg_key = Rng::bits(key, ~0ULL);
  parallel_for(0, n, [&](Index t) {
    const auto k = static_cast<std::size_t>(order[static_cast<std::size_t>(t)]);
    const std::int32_t u = owner_[k];
    Rng draw(Rng::bits(neg_key, static_cast<std::uint64_t>(t)));  // the triple's own stream
    std::int32_t j = 0;
    do {
      j = static_cast<std::int32_t>(draw.below(items));
    } while (has_item(train_, u, j));
    const auto tt = static_cast<std::size_t>(t);
    users[tt] = u;
    pos[tt] = col_idx[k] + offset;
    neg[tt] = j + offset;
  });
  // 3. Batches.
  std::vector<BprBatch> batches;
  for (Index b = 0; b < n; b += batch_size) {
    const auto lo = static_cast<std::size_t>(b);
    const auto hi = static_cast<std::size_t>(std::min(n, b + batch_size));
    batches.push_back({IndexArray32(std::span<const std::int32_t>(users.data() + lo, hi - lo)),
                       IndexArray32(std::span<const std::int32_t>(pos.data() + lo, hi - lo)),
                       IndexArray32(std::span<const std::int32_t>(neg.data() + lo, hi - lo))});
  }
  return batches;
}

namespace {

void check_batch(const Var& z, const BprBatch& b, const char* function) {
  MOEGNN_CHECK_AS(InvalidArgument, function,
                  b.size() > 0 && b.pos.size() == b.size() && b.neg.size() == b.size(), "batch of ",
                  b.size(), " users, ", b.pos.size(), " positives, ", b.neg.size(),
                  " negatives vs equal non-zero sizes");
  MOEGNN_CHECK_AS(InvalidArgument, function, z.value().device() == Device::Cpu, "embeddings on ",
                  to_string(z.value().device()), " vs cpu (no CUDA kernel yet)");
  for (const IndexArray32* ids : {&b.users, &b.pos, &b.neg})
    for (const std::int32_t id : ids->host())
      MOEGNN_CHECK_AS(InvalidArgument, function, id >= 0 && id < z.rows(), "row id ", id,
                      " vs [0, ", z.rows(), ")");
}

double dot(const float* a, const float* b, Index d) {
  double s = 0.0;
  for (Index c = 0; c < d; ++c) s += static_cast<double>(a[c]) * static_cast<double>(b[c]);
  return s;
}

// Adds g·x into row `row` of the gradient buffer.
void add_row(Tensor& grad, std::int32_t row, const float* x, double g) {
  float* out = grad.data() + static_cast<Index>(row) * grad.cols();
  for (Index c = 0; c < grad.cols(); ++c) out[c] += static_cast<float>(g * x[c]);
}

}  // namespace

Var bpr_loss(Tape& tape, Var z, const BprBatch& batch) {
  check_batch(z, batch, "bpr_loss");
  const Tensor& zv = z.value();
  const Index d = zv.cols();
  const Index n = batch.size();
  const auto u = batch.users.host(), p = batch.pos.host(), q = batch.neg.host();
  // Per triple: x = ŷ⁻ − ŷ⁺; softplus(x) = max(x, 0) + log1p(exp(−|x|)) (stable for any x).
  std::vector<double> sig(static_cast<std::size_t>(n));
  double total = 0.0;
  const float* base = zv.data();
  for (std::size_t b = 0; b < static_cast<std::size_t>(n); ++b) {
    const float* zu = base + u[b] * d;
    const double x = dot(zu, base + q[b] * d, d) - dot(zu, base + p[b] * d, d);
    total += std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
    sig[b] = 1.0 / (1.0 + std::exp(-x));  // d softplus / dx
  }
  Tensor out = Tensor::zeros(1, 1);
  out.data()[0] = static_cast<float>(total / static_cast<double>(n));
  return tape.record(out, {z}, [batch, sig = std::move(sig), n, d](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    const double g0 = static_cast<double>(s.grad_out.host()(0, 0)) / static_cast<double>(n);
    const float* zb = s.in[0]->data();
    const auto uu = batch.users.host(), pp = batch.pos.host(), qq = batch.neg.host();
    for (std::size_t b = 0; b < sig.size(); ++b) {
      const double g = g0 * sig[b];
      const float* zu = zb + uu[b] * d;
      const float* zp = zb + pp[b] * d;
      const float* zq = zb + qq[b] * d;
      for (Index c = 0; c < d; ++c) {  // ∂x/∂z_u = z⁻ − z⁺, ∂x/∂z⁻ = z_u, ∂x/∂z⁺ = −z_u
        float* gu = s.grad_in[0]->data() + uu[b] * d;
        gu[c] += static_cast<float>(g * (static_cast<double>(zq[c]) - zp[c]));
      }
      add_row(*s.grad_in[0], qq[b], zu, g);
      add_row(*s.grad_in[0], pp[b], zu, -g);
    }
  });
}

Var bpr_l2(Tape& tape, Var e, const BprBatch& batch) {
  check_batch(e, batch, "bpr_l2");
  const Tensor& ev = e.value();
  const Index d = ev.cols();
  const auto n = static_cast<double>(batch.size());
  double total = 0.0;
  for (const IndexArray32* ids : {&batch.users, &batch.pos, &batch.neg})
    for (const std::int32_t id : ids->host()) {
      const float* row = ev.data() + static_cast<Index>(id) * d;
      total += dot(row, row, d);
    }
  Tensor out = Tensor::zeros(1, 1);
  out.data()[0] = static_cast<float>(0.5 * total / n);
  return tape.record(out, {e}, [batch, n, d](Tape::Step& s) {
    if (s.grad_in[0] == nullptr) return;
    const double g = static_cast<double>(s.grad_out.host()(0, 0)) / n;  // ∂(½‖x‖²)/∂x = x
    for (const IndexArray32* ids : {&batch.users, &batch.pos, &batch.neg})
      for (const std::int32_t id : ids->host())
        add_row(*s.grad_in[0], id, s.in[0]->data() + static_cast<Index>(id) * d, g);
  });
}

}  // namespace moegnn::rec
