// SPDX-License-Identifier: Apache-2.0
// Csr: compressed sparse rows, the graph type of moegnn. Row i lists the in-neighbours of node i
// (the sources of the edges that point at i), so SpMM out[i] = Σ_j A[i, j] · x[j] aggregates messages
// at their destination, as PyG's adj_t and DGL's in-CSR do. Optional per-edge values (nnz × 1 Tensor).
// Arrays are shared between copies and never modified after construction. The transpose (and the
// permutation from its edges to ours) is built once on first use and kept: backward passes read it
// instead of scattering with atomics.
#pragma once

#include <memory>
#include <span>

#include "core/tensor.h"
#include "graph/types.h"

namespace moegnn::graph {

// Raw arrays for kernels (CPU or device pointers, per `device`). values == nullptr: all ones.
struct CsrView {
  Index num_rows = 0;
  Index num_cols = 0;
  EdgeId num_edges = 0;
  const EdgeId* row_ptr = nullptr;
  const NodeId* col_idx = nullptr;
  const float* values = nullptr;
  Device device = Device::Cpu;
};

namespace detail {
struct CsrCache;
}

class Csr {
 public:
  Csr();  // 0 × 0

  // row_ptr: num_rows + 1 offsets from 0, non-decreasing; col_idx: row_ptr[num_rows] ids in
  // [0, num_cols); values: empty or nnz × 1. Throws InvalidArgument naming the first violation.
  Csr(Index num_rows, Index num_cols, EdgeIds row_ptr, NodeIds col_idx, Tensor values = {},
      Validate validate = Validate::Full);

  Index num_rows() const { return num_rows_; }
  Index num_cols() const { return num_cols_; }
  Index num_nodes() const { return num_rows_; }
  EdgeId num_edges() const { return col_idx_.size(); }
  bool is_square() const { return num_rows_ == num_cols_; }
  bool has_values() const { return !values_.empty(); }
  Device device() const { return row_ptr_.device(); }

  const EdgeIds& row_ptr() const { return row_ptr_; }
  const NodeIds& col_idx() const { return col_idx_; }
  const Tensor& values() const { return values_; }  // nnz × 1, or empty
  CsrView view() const;

  // CPU accessors; throw InvalidArgument for an id out of range or a graph on another device.
  std::span<const NodeId> neighbors(Index row) const;
  Index degree(Index row) const;

  // The same structure with other edge values (nnz × 1), or none (empty Tensor).
  Csr with_values(Tensor values) const;
  Csr to(Device device) const;

  // A^T with rows = this graph's columns; built on first call (CPU, counting sort, stable so column
  // ids stay sorted within each row; a device graph's is built on a host copy and moved back) and
  // cached. transpose_edge_ids()[k] is the id in this graph of the transpose's edge k.
  const Csr& transpose() const;
  const EdgeIds& transpose_edge_ids() const;

  // State that a backend derives from this graph (the CUDA SpMM's descriptor and int32 offsets),
  // kept in the graph's cache so it dies with the last copy of the graph; never keyed on data
  // pointers, which the allocator reuses. `key` is the address of a static of the backend; make()
  // runs once per key and graph. with_values() and to() start with no state.
  using BackendStateFactory = std::shared_ptr<void> (*)(const Csr&);
  std::shared_ptr<void> backend_state(const void* key, BackendStateFactory make) const;

 private:
  void validate(Validate level) const;
  void build_transpose() const;
  Index num_rows_ = 0;
  Index num_cols_ = 0;
  EdgeIds row_ptr_;
  NodeIds col_idx_;
  Tensor values_;
  std::shared_ptr<detail::CsrCache> cache_;
};

}  // namespace moegnn::graph
