// SPDX-License-Identifier: Apache-2.0
#include "ooc/scan.h"

#include <algorithm>
#include <vector>

namespace moegnn::ooc {

void scan_rows(const FeatureFile& file, const DirectFile& reader, IoEngine& engine,
               std::size_t chunk_bytes,
               const std::function<void(Index first, Index count, const float* rows)>& visit,
               std::size_t request_bytes) {
  const std::uint64_t rb = file.row_bytes();
  const Index per_chunk = std::max<Index>(1, static_cast<Index>(chunk_bytes / rb));
  request_bytes = std::max<std::size_t>(kDirectAlign, align_down(request_bytes));
  AlignedBuffer buffer(static_cast<std::size_t>(per_chunk) * rb + 2 * kDirectAlign);
  std::vector<ReadRequest> requests;
  for (Index r0 = 0; r0 < file.rows; r0 += per_chunk) {
    const Index r1 = std::min(file.rows, r0 + per_chunk);
    const std::uint64_t lo = align_down(file.row_offset(r0));
    const std::uint64_t need_end = file.row_offset(r1);
    const std::uint64_t hi = align_up(need_end);
    requests.clear();
    for (std::uint64_t at = lo; at < hi; at += request_bytes) {
      const std::size_t bytes = static_cast<std::size_t>(std::min<std::uint64_t>(request_bytes, hi - at));
      const std::size_t needed =
          need_end > at ? static_cast<std::size_t>(std::min<std::uint64_t>(bytes, need_end - at)) : 0;
      requests.push_back({&reader, at, bytes, needed, buffer.data() + (at - lo)});
    }
    engine.read(requests);
    visit(r0, r1 - r0,
          reinterpret_cast<const float*>(buffer.data() + (file.row_offset(r0) - lo)));
  }
}

}  // namespace moegnn::ooc
