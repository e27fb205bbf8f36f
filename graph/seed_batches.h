// SPDX-License-Identifier: Apache-2.0
// SeedBatches: mini-batches of training node ids for sampled training (PyTorch's DataLoader over
// node ids). Each epoch's order is a seeded shuffle that depends only on (seed, epoch), so a resumed
// run replays the same batches.
#pragma once

#include <cstdint>
#include <iterator>
#include <vector>

#include "graph/types.h"

namespace moegnn::graph {

struct SeedBatchOptions {
  Index batch_size = 1024;
  bool shuffle = true;
  bool drop_last = false;  // drop a final batch smaller than batch_size
  std::uint64_t seed = 1;
};

class SeedBatches {
 public:
  // nodes: the ids to batch (any values; typically the training split), on the CPU. Throws
  // InvalidArgument for batch_size < 1 or ids on another device. Starts at epoch 0.
  SeedBatches(const NodeIds& nodes, const SeedBatchOptions& options = {});

  // Reorders for `epoch` (a no-op without shuffle).
  void set_epoch(std::uint64_t epoch);
  std::uint64_t epoch() const { return epoch_; }

  Index num_batches() const;
  // Batch i of the current epoch; throws InvalidArgument for i outside [0, num_batches()).
  NodeIds batch(Index i) const;

  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = NodeIds;
    using difference_type = std::ptrdiff_t;
    Iterator(const SeedBatches* owner, Index i) : owner_(owner), i_(i) {}
    NodeIds operator*() const { return owner_->batch(i_); }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const Iterator& other) const { return i_ == other.i_; }

   private:
    const SeedBatches* owner_;
    Index i_;
  };
  // for (const NodeIds& seeds : batches) ... walks the current epoch.
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, num_batches()}; }

 private:
  std::vector<NodeId> nodes_;
  std::vector<NodeId> order_;
  SeedBatchOptions options_;
  std::uint64_t epoch_ = 0;
};

}  // namespace moegnn::graph
