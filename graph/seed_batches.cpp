// SPDX-License-Identifier: Apache-2.0
// Seeded epoch shuffles (Fisher–Yates on Rng(bits(seed, epoch))) and batch slicing.
#include "graph/seed_batches.h"

#include <algorithm>

#include "core/error.h"
#include "core/rng.h"

namespace moegnn::graph {

SeedBatches::SeedBatches(const NodeIds& nodes, const SeedBatchOptions& options)
    : options_(options) {
  MOEGNN_CHECK_AS(InvalidArgument, "SeedBatches", options.batch_size >= 1, "batch_size ",
                  options.batch_size, " vs >= 1");
  MOEGNN_CHECK_AS(InvalidArgument, "SeedBatches", nodes.device() == Device::Cpu, "nodes are on ",
                  to_string(nodes.device()), " vs cpu; call .to(Device::Cpu) first");
  nodes_.assign(nodes.host().begin(), nodes.host().end());
  set_epoch(0);
}

void SeedBatches::set_epoch(std::uint64_t epoch) {
  epoch_ = epoch;
  order_ = nodes_;
  if (!options_.shuffle) return;
  Rng rng(Rng::bits(options_.seed, epoch));
  for (std::size_t i = order_.size(); i > 1; --i)
    std::swap(order_[i - 1], order_[static_cast<std::size_t>(rng.below(i))]);
}

Index SeedBatches::num_batches() const {
  const auto n = static_cast<Index>(order_.size());
  return options_.drop_last ? n / options_.batch_size
                            : (n + options_.batch_size - 1) / options_.batch_size;
}

NodeIds SeedBatches::batch(Index i) const {
  MOEGNN_CHECK_AS(InvalidArgument, "SeedBatches::batch", i >= 0 && i < num_batches(), "batch ", i,
                  " out of range vs [0, ", num_batches(), ")");
  const auto n = static_cast<Index>(order_.size());
  const Index lo = i * options_.batch_size;
  const Index hi = std::min(n, lo + options_.batch_size);
  return NodeIds(std::span<const NodeId>(order_.data() + lo, static_cast<std::size_t>(hi - lo)));
}

}  // namespace moegnn::graph
