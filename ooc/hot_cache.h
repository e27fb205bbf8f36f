// SPDX-License-Identifier: Apache-2.0
// The hot-row cache: the feature rows the offline samples touch most, held in memory under a byte
// budget (DiskGNN's CPU cache level; membership is fixed for the run, a frequency policy). Rows are
// kept in ascending id order so the cache is filled by one sequential pass over the table.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/tensor.h"
#include "graph/types.h"
#include "ooc/direct_io.h"
#include "ooc/feature_file.h"

namespace moegnn::ooc {

// The rows to cache: those with count > 0, most frequent first (ties: the lower id), at most
// budget_bytes / row_bytes of them; returned in ascending id order.
std::vector<graph::NodeId> select_hot_rows(std::span<const std::uint32_t> counts,
                                           std::uint64_t row_bytes, std::uint64_t budget_bytes);

class HotCache {
 public:
  HotCache() = default;
  // ids ascending (unique, in [0, num_rows)); rows: ids.size() × cols, row i is row ids[i].
  // Throws InvalidArgument for sizes that disagree or ids out of order / range.
  HotCache(Index num_rows, std::vector<graph::NodeId> ids, Tensor rows);

  Index size() const { return static_cast<Index>(ids_.size()); }
  Index num_rows() const { return static_cast<Index>(slot_.size()); }
  std::uint64_t bytes() const { return static_cast<std::uint64_t>(rows_.rows() * rows_.cols()) * 4; }
  // Slot of row v, -1 when v is not cached.
  std::int32_t slot(graph::NodeId v) const { return slot_[static_cast<std::size_t>(v)]; }
  const float* row(std::int32_t slot) const {
    return rows_.data() + static_cast<std::ptrdiff_t>(slot) * rows_.cols();
  }
  const std::vector<graph::NodeId>& ids() const { return ids_; }
  const Tensor& rows() const { return rows_; }

 private:
  std::vector<graph::NodeId> ids_;
  std::vector<std::int32_t> slot_;
  Tensor rows_;
};

// Reads rows `ids` (ascending) of `file` in one sequential pass of chunk_bytes chunks.
HotCache load_hot_cache(const FeatureFile& file, const DirectFile& reader, IoEngine& engine,
                        std::vector<graph::NodeId> ids, std::size_t chunk_bytes = std::size_t{64}
                                                                                    << 20);

}  // namespace moegnn::ooc
