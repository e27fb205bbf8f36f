// SPDX-License-Identifier: Apache-2.0
#include "ooc/hot_cache.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "core/error.h"
#include "ooc/scan.h"

namespace moegnn::ooc {

std::vector<graph::NodeId> select_hot_rows(std::span<const std::uint32_t> counts,
                                           std::uint64_t row_bytes, std::uint64_t budget_bytes) {
  MOEGNN_CHECK_AS(InvalidArgument, "select_hot_rows", row_bytes > 0, "row_bytes is 0 vs > 0");
  std::vector<graph::NodeId> used;
  for (std::size_t v = 0; v < counts.size(); ++v)
    if (counts[v] > 0) used.push_back(static_cast<graph::NodeId>(v));
  const std::size_t k = std::min<std::uint64_t>(budget_bytes / row_bytes, used.size());
  std::partial_sort(used.begin(), used.begin() + static_cast<std::ptrdiff_t>(k), used.end(),
                    [&](graph::NodeId a, graph::NodeId b) {
                      const auto ca = counts[static_cast<std::size_t>(a)];
                      const auto cb = counts[static_cast<std::size_t>(b)];
                      return ca != cb ? ca > cb : a < b;
                    });
  used.resize(k);
  std::sort(used.begin(), used.end());
  return used;
}

HotCache::HotCache(Index num_rows, std::vector<graph::NodeId> ids, Tensor rows)
    : ids_(std::move(ids)), slot_(static_cast<std::size_t>(num_rows), -1), rows_(std::move(rows)) {
  MOEGNN_CHECK_AS(InvalidArgument, "HotCache", rows_.rows() == size() || (size() == 0),
                  "cache rows ", rows_.rows(), " vs ", size(), " ids");
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    const graph::NodeId v = ids_[i];
    MOEGNN_CHECK_AS(InvalidArgument, "HotCache", v >= 0 && v < num_rows &&
                                                     (i == 0 || ids_[i - 1] < v),
                    "id ", v, " at ", i, " vs ascending ids in [0, ", num_rows, ")");
    slot_[static_cast<std::size_t>(v)] = static_cast<std::int32_t>(i);
  }
}

HotCache load_hot_cache(const FeatureFile& file, const DirectFile& reader, IoEngine& engine,
                        std::vector<graph::NodeId> ids, std::size_t chunk_bytes) {
  Tensor rows = Tensor::empty(static_cast<Index>(ids.size()), file.cols);
  const std::size_t rb = file.row_bytes();
  std::size_t next = 0;
  if (!ids.empty()) {
    scan_rows(file, reader, engine, chunk_bytes, [&](Index first, Index count, const float* data) {
      while (next < ids.size() && ids[next] < first + count) {
        std::memcpy(rows.data() + static_cast<std::ptrdiff_t>(next) * file.cols,
                    data + static_cast<std::ptrdiff_t>(ids[next] - first) * file.cols, rb);
        ++next;
      }
    });
  }
  return HotCache(file.rows, std::move(ids), std::move(rows));
}

}  // namespace moegnn::ooc
