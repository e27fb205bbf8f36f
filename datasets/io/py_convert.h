// SPDX-License-Identifier: Apache-2.0
// Converters from decoded pickles (py_value.h) to the library's types: scipy.sparse matrices
// (csr/csc/coo/lil, as *_matrix or *_array, from any scipy version's pickled __dict__) to
// graph::Csr, ndarrays and sparse matrices to dense Tensors, and dict-of-lists adjacency
// (Planetoid's ind.*.graph) to graph::Csr. Every index is range-checked; bad content throws IoError
// naming the pickle's source.
#pragma once

#include "core/tensor.h"
#include "graph/csr.h"
#include "datasets/io/py_value.h"

namespace moegnn::datasets::io {

// True for an Object of a scipy.sparse csr/csc/coo/lil matrix or array class.
bool is_sparse_matrix(const PyValue& value);

// A scipy.sparse matrix as Csr (rows × cols, values nnz × 1 float32). Entries keep the file's
// order within each row (csc/coo are sorted by row stably); duplicates are kept. Throws IoError
// for another value, inconsistent arrays, ids out of range, more than 2^31 - 1 columns, or a
// csc/coo row count above max(2^22, 64 × nnz) (a guard against corrupt shapes).
graph::Csr sparse_to_csr(const PyValue& matrix);

// A numeric ndarray (see NpyArray::to_tensor; its shape always matches its bytes) or a
// scipy.sparse matrix (densified, duplicates summed) as a float32 Tensor. The dense bytes of a
// sparse matrix, rows × cols × 4, are checked before allocating against `max_bytes`; 0:
// max(256 MiB, 64 × the bytes its arrays hold), so a corrupt `_shape` cannot ask for terabytes.
// Throws IoError for other values or a dense form over the limit.
Tensor to_dense_tensor(const PyValue& value, std::size_t max_bytes = 0);

// A dict {node: [neighbour, ...]} with int keys and list/tuple/set values (a defaultdict(list) in
// Planetoid) as Csr: row k lists the neighbours stored under key k in file order, duplicates and
// self-loops kept (coalescing is the loader's choice). num_nodes < 0: 1 + the largest id seen,
// which must stay below max(2^22, 64 × the ids stored) (a guard against corrupt ids). Throws
// IoError for other values, negative ids, ids >= num_nodes or beyond int32.
graph::Csr adjacency_dict_to_csr(const PyValue& dict, Index num_nodes = -1);

}  // namespace moegnn::datasets::io
