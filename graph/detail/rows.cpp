// SPDX-License-Identifier: Apache-2.0
// Duplicate merging and self-loop handling over sorted row segments (see detail/rows.h).
#include "graph/detail/rows.h"

#include "core/parallel.h"
#include "graph/detail/scan.h"

namespace moegnn::graph::detail {
namespace {

constexpr Index kRowGrain = 2048;

// Output length of one row under the policies; the segment [b, e) is sorted by column.
EdgeId row_output_length(const NodeId* col, EdgeId b, EdgeId e, NodeId self, bool merge,
                         SelfLoops loops) {
  EdgeId n = 0;
  EdgeId self_count = 0;
  for (EdgeId k = b; k < e; ++k) {
    const bool repeat = merge && k > b && col[k] == col[k - 1];
    if (repeat) continue;
    ++n;
    self_count += col[k] == self ? 1 : 0;
  }
  switch (loops) {
    case SelfLoops::Keep: return n;
    case SelfLoops::Remove: return n - self_count;
    case SelfLoops::Add: return n - self_count + 1;
    case SelfLoops::AddRemaining: return self_count > 0 ? n : n + 1;
  }
  return n;
}

struct RowWriter {
  NodeId* out_col;
  float* out_val;  // nullptr when unweighted
  EdgeId pos;
  void put(NodeId c, float v) {
    out_col[pos] = c;
    if (out_val != nullptr) out_val[pos] = v;
    ++pos;
  }
};

// Writes one row: runs of equal columns become one entry (or stay, for Keep), loops are dropped or
// inserted at their sorted place.
void write_row(const RowSegments& in, Index r, bool merge, bool sum, SelfLoops loops, float fill,
               RowWriter& w) {
  const auto self = static_cast<NodeId>(r);
  const bool drop_loops = loops == SelfLoops::Remove || loops == SelfLoops::Add;
  const bool add_loop = loops == SelfLoops::Add || loops == SelfLoops::AddRemaining;
  bool loop_done = !add_loop;
  const EdgeId e = in.begin[r + 1];
  for (EdgeId k = in.begin[r]; k < e;) {
    const NodeId c = in.col[k];
    float v = in.val != nullptr ? in.val[k] : 0.0f;
    EdgeId next = k + 1;
    if (merge) {
      for (; next < e && in.col[next] == c; ++next)
        if (sum && in.val != nullptr) v += in.val[next];
    }
    if (!loop_done && c >= self) {
      loop_done = true;
      if (c != self || loops == SelfLoops::Add) w.put(self, fill);
    }
    if (!(c == self && drop_loops)) w.put(c, v);
    k = next;
  }
  if (!loop_done) w.put(self, fill);
}

}  // namespace

Csr assemble_rows(const RowSegments& in, Duplicates duplicates, SelfLoops self_loops,
                  float self_loop_value) {
  const bool merge = duplicates != Duplicates::Keep;
  const bool sum = duplicates == Duplicates::Sum;
  const Index n = in.num_rows;
  // 1. Output length per row, then offsets.
  EdgeIds row_ptr(n + 1);
  EdgeId* ptr = row_ptr.host().data();
  parallel_for(0, n, [&](Index r) {
    ptr[r + 1] = row_output_length(in.col, in.begin[r], in.begin[r + 1], static_cast<NodeId>(r),
                                   merge, self_loops);
  }, kRowGrain);
  counts_to_offsets(ptr, n);
  // 2. Write the rows.
  const EdgeId nnz = ptr[n];
  NodeIds col_idx(nnz);
  Tensor values = in.val != nullptr ? Tensor::empty(nnz, 1) : Tensor();
  NodeId* out_col = col_idx.host().data();
  float* out_val = in.val != nullptr ? values.data() : nullptr;
  parallel_for(0, n, [&](Index r) {
    RowWriter w{out_col, out_val, ptr[r]};
    write_row(in, r, merge, sum, self_loops, self_loop_value, w);
    MOEGNN_ASSERT(w.pos == ptr[r + 1]);
  }, kRowGrain);
  return Csr(n, in.num_cols, std::move(row_ptr), std::move(col_idx), std::move(values),
             Validate::Trusted);
}

}  // namespace moegnn::graph::detail
