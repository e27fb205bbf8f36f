// SPDX-License-Identifier: Apache-2.0
// Int64Table: a rows × cols table of int64 values in row-major order, as the CSV and text-table
// readers return integer files (edge lists, ratings, id maps).
#pragma once

#include <cstdint>
#include <vector>

#include "core/types.h"

namespace moegnn::datasets::io {

struct Int64Table {
  Index rows = 0;
  Index cols = 0;
  std::vector<std::int64_t> values;  // rows * cols, row-major

  // Unchecked element access (r < rows, c < cols).
  std::int64_t operator()(Index r, Index c) const {
    return values[static_cast<std::size_t>(r * cols + c)];
  }
  // Column c as its own vector. Throws InvalidArgument when c is out of range.
  std::vector<std::int64_t> column(Index c) const;
};

}  // namespace moegnn::datasets::io
