// SPDX-License-Identifier: Apache-2.0
// Private checks shared by the graph algorithms: CPU residency with the house message, sorted rows,
// and node ids in range (first offender named).
#pragma once

#include <string_view>

#include "core/error.h"
#include "graph/csr.h"
#include "graph/detail/scan.h"

namespace moegnn::graph::detail {

inline void require_cpu(const Csr& g, const char* function) {
  MOEGNN_CHECK_AS(InvalidArgument, function, g.device() == Device::Cpu, "graph is on ",
                  to_string(g.device()), " vs cpu; call .to(Device::Cpu) first");
}

inline void require_square(const Csr& g, const char* function) {
  MOEGNN_CHECK_AS(InvalidArgument, function, g.is_square(), "graph is ", g.num_rows(), " × ",
                  g.num_cols(), " vs a square graph (num_rows == num_cols)");
}

// Columns non-decreasing within every row.
inline bool rows_sorted(const Csr& g) {
  const EdgeId* ptr = g.row_ptr().host().data();
  const NodeId* col = g.col_idx().host().data();
  const Index n = g.num_rows();
  return first_position(n, [&](Index r) {
           for (EdgeId k = ptr[r] + 1; k < ptr[r + 1]; ++k)
             if (col[k] < col[k - 1]) return true;
           return false;
         }) == n;
}

// Every id in [0, limit); throws InvalidArgument naming `name`, the first bad position and value.
inline void check_node_ids(const NodeIds& ids, Index limit, const char* function,
                           std::string_view name) {
  MOEGNN_CHECK_AS(InvalidArgument, function, ids.device() == Device::Cpu, name, " is on ",
                  to_string(ids.device()), " vs cpu; call .to(Device::Cpu) first");
  const NodeId* v = ids.host().data();
  const Index n = ids.size();
  const Index bad = first_position(n, [&](Index i) { return v[i] < 0 || v[i] >= limit; });
  MOEGNN_CHECK_AS(InvalidArgument, function, bad == n, name, "[", bad, "] = ", bad < n ? v[bad] : 0,
                  " out of range vs [0, ", limit, ")");
}

}  // namespace moegnn::graph::detail
