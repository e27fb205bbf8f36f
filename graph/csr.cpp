// SPDX-License-Identifier: Apache-2.0
// Csr construction, validation, device transfer and the cached transpose.
#include "graph/csr.h"

#include <atomic>
#include <mutex>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"

namespace moegnn::graph {
namespace detail {
struct CsrCache {
  std::once_flag transpose_once;
  std::unique_ptr<Csr> transpose;
  EdgeIds transpose_edge_ids;
  // Backend state by key (Csr::backend_state); a handful of entries at most, so a vector.
  std::mutex backend_mutex;
  std::vector<std::pair<const void*, std::shared_ptr<void>>> backend_states;
};
}  // namespace detail

Csr::Csr() : row_ptr_(EdgeIds{0}), cache_(std::make_shared<detail::CsrCache>()) {}

Csr::Csr(Index num_rows, Index num_cols, EdgeIds row_ptr, NodeIds col_idx, Tensor values,
         Validate validate_level)
    : num_rows_(num_rows),
      num_cols_(num_cols),
      row_ptr_(std::move(row_ptr)),
      col_idx_(std::move(col_idx)),
      values_(std::move(values)),
      cache_(std::make_shared<detail::CsrCache>()) {
  validate(validate_level);
}

void Csr::validate(Validate level) const {
  // 1. Sizes and devices (always).
  MOEGNN_CHECK_AS(InvalidArgument, "Csr", num_rows_ >= 0 && num_cols_ >= 0, "negative shape ",
                  num_rows_, " × ", num_cols_);
  MOEGNN_CHECK_AS(InvalidArgument, "Csr", num_cols_ <= std::numeric_limits<NodeId>::max(),
                  "num_cols ", num_cols_, " exceeds the int32 column index range");
  MOEGNN_CHECK_AS(InvalidArgument, "Csr", row_ptr_.size() == num_rows_ + 1, "row_ptr has ",
                  row_ptr_.size(), " entries vs num_rows + 1 = ", num_rows_ + 1);
  MOEGNN_CHECK_AS(InvalidArgument, "Csr", row_ptr_.device() == col_idx_.device(),
                  "row_ptr is on ", to_string(row_ptr_.device()), ", col_idx on ",
                  to_string(col_idx_.device()));
  if (!values_.empty()) {
    MOEGNN_CHECK_AS(InvalidArgument, "Csr", values_.rows() == col_idx_.size() && values_.cols() == 1,
                    "values are ", values_.shape_string(), " vs nnz × 1 = ", col_idx_.size(), " × 1");
    MOEGNN_CHECK_AS(InvalidArgument, "Csr", values_.device() == device(), "values are on ",
                    to_string(values_.device()), " vs the structure on ", to_string(device()));
  }
  if (device() != Device::Cpu) return;  // device-side structure was validated before the copy
  // 2. Offsets: start at 0, end at nnz, never decrease (O(rows), always).
  const auto ptr = row_ptr_.host();
  MOEGNN_CHECK_AS(InvalidArgument, "Csr", ptr[0] == 0, "row_ptr[0] is ", ptr[0], " vs 0");
  MOEGNN_CHECK_AS(InvalidArgument, "Csr", ptr[static_cast<std::size_t>(num_rows_)] == num_edges(),
                  "row_ptr[num_rows] is ", ptr[static_cast<std::size_t>(num_rows_)],
                  " vs col_idx size ", num_edges());
  for (Index r = 0; r < num_rows_; ++r) {
    MOEGNN_CHECK_AS(InvalidArgument, "Csr", ptr[r] <= ptr[r + 1], "row_ptr decreases at row ", r,
                    ": ", ptr[r], " then ", ptr[r + 1], " vs non-decreasing offsets");
  }
  if (level != Validate::Full) return;
  // 3. Column ids in range (O(nnz)); find the first offender for the message.
  const auto cols = col_idx_.host();
  std::atomic<EdgeId> first_bad{num_edges()};
  parallel_for_range(0, num_edges(), [&](Index lo, Index hi) {
    for (Index k = lo; k < hi; ++k) {
      if (cols[k] < 0 || cols[k] >= num_cols_) {
        EdgeId seen = first_bad.load();
        while (k < seen && !first_bad.compare_exchange_weak(seen, k)) {
        }
        return;
      }
    }
  }, 1 << 16);
  const EdgeId bad = first_bad.load();
  MOEGNN_CHECK_AS(InvalidArgument, "Csr", bad == num_edges(), "col_idx[", bad, "] = ",
                  bad < num_edges() ? cols[static_cast<std::size_t>(bad)] : 0,
                  " out of range vs [0, ", num_cols_, ")");
}

CsrView Csr::view() const {
  return CsrView{num_rows_,      num_cols_,
                 num_edges(),    row_ptr_.data(),
                 col_idx_.data(), values_.empty() ? nullptr : values_.data(),
                 device()};
}

std::span<const NodeId> Csr::neighbors(Index row) const {
  MOEGNN_CHECK(row >= 0 && row < num_rows_, "row ", row, " out of range vs [0, ", num_rows_, ")");
  const auto ptr = row_ptr_.host();
  return col_idx_.host().subspan(static_cast<std::size_t>(ptr[row]),
                                 static_cast<std::size_t>(ptr[row + 1] - ptr[row]));
}

Index Csr::degree(Index row) const {
  MOEGNN_CHECK(row >= 0 && row < num_rows_, "row ", row, " out of range vs [0, ", num_rows_, ")");
  const auto ptr = row_ptr_.host();
  return ptr[row + 1] - ptr[row];
}

Csr Csr::with_values(Tensor values) const {
  Csr out = *this;
  out.values_ = std::move(values);
  out.cache_ = std::make_shared<detail::CsrCache>();  // the transpose carries values: rebuild
  out.validate(Validate::Trusted);
  return out;
}

Csr Csr::to(Device target) const {
  if (target == device()) return *this;
  return Csr(num_rows_, num_cols_, row_ptr_.to(target), col_idx_.to(target),
             values_.empty() ? Tensor() : values_.to(target), Validate::Trusted);
}

void Csr::build_transpose() const {
  if (device() != Device::Cpu) {
    // No device counting sort yet: sort a host copy and move the result (once per graph; two
    // transfers of the structure).
    const Csr host = to(Device::Cpu);
    cache_->transpose = std::make_unique<Csr>(host.transpose().to(device()));
    cache_->transpose_edge_ids = host.transpose_edge_ids().to(device());
    return;
  }
  // Counting sort by column, visiting edges in row order: stable, so rows of the transpose list
  // their columns (our rows) in increasing order. Serial and deterministic; O(nnz + cols).
  const auto ptr = row_ptr_.host();
  const auto cols = col_idx_.host();
  EdgeIds t_ptr(num_cols_ + 1);
  auto tp = t_ptr.host();
  std::fill(tp.begin(), tp.end(), 0);
  for (const NodeId c : cols) ++tp[static_cast<std::size_t>(c) + 1];
  for (Index c = 0; c < num_cols_; ++c) tp[c + 1] += tp[c];
  NodeIds t_cols(num_edges());
  EdgeIds t_edge(num_edges());
  auto tc = t_cols.host();
  auto te = t_edge.host();
  std::vector<EdgeId> cursor(tp.begin(), tp.end() - 1);
  for (Index r = 0; r < num_rows_; ++r) {
    for (EdgeId k = ptr[r]; k < ptr[r + 1]; ++k) {
      const EdgeId slot = cursor[static_cast<std::size_t>(cols[k])]++;
      tc[slot] = static_cast<NodeId>(r);
      te[slot] = k;
    }
  }
  Tensor t_values;
  if (has_values()) {
    t_values = Tensor::empty(num_edges(), 1);
    const float* v = values_.data();
    float* tv = t_values.data();
    for (EdgeId k = 0; k < num_edges(); ++k) tv[k] = v[te[k]];
  }
  cache_->transpose = std::make_unique<Csr>(num_cols_, num_rows_, std::move(t_ptr),
                                            std::move(t_cols), std::move(t_values),
                                            Validate::Trusted);
  cache_->transpose_edge_ids = std::move(t_edge);
}

const Csr& Csr::transpose() const {
  std::call_once(cache_->transpose_once, [this] { build_transpose(); });
  return *cache_->transpose;
}

const EdgeIds& Csr::transpose_edge_ids() const {
  transpose();
  return cache_->transpose_edge_ids;
}

std::shared_ptr<void> Csr::backend_state(const void* key, BackendStateFactory make) const {
  const std::lock_guard lock(cache_->backend_mutex);
  for (const auto& [k, state] : cache_->backend_states)
    if (k == key) return state;
  std::shared_ptr<void> state = make(*this);
  cache_->backend_states.emplace_back(key, state);
  return state;
}

}  // namespace moegnn::graph
