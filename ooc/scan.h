// SPDX-License-Identifier: Apache-2.0
// One sequential pass over a feature table: rows arrive in id order, a chunk at a time, read with
// large aligned O_DIRECT requests. The hot-row cache and batched packing are built from it.
#pragma once

#include <cstddef>
#include <functional>

#include "ooc/direct_io.h"
#include "ooc/feature_file.h"

namespace moegnn::ooc {

// Calls visit(first_row, num_rows, rows) for consecutive chunks of at most `chunk_bytes` of rows
// (at least one row), rows row-major float32. Reads go through `engine` in `request_bytes` pieces.
// The pass holds at most chunk_bytes + 2 blocks: when that fits two chunks of a row or more, it
// splits it into two buffers and reads the next chunk on its own thread while `visit` consumes
// the current one (visit runs on the calling thread, chunks in order); else one buffer, in turn.
// Throws IoError naming the file on a failed or short read; an exception from visit stops the
// reads and propagates.
void scan_rows(const FeatureFile& file, const DirectFile& reader, IoEngine& engine,
               std::size_t chunk_bytes,
               const std::function<void(Index first, Index count, const float* rows)>& visit,
               std::size_t request_bytes = std::size_t{1} << 20);

}  // namespace moegnn::ooc
