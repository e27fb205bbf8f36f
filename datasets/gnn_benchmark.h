// SPDX-License-Identifier: Apache-2.0
// Loader for the gnn-benchmark .npz format (Shchur et al., 2018), used by PyG's CitationFull,
// Amazon and Coauthor sets: adj_data/adj_indices/adj_indptr/adj_shape (CSR adjacency, A[i, j]
// = 1 for an edge i -> j), node attributes as CSR (attr_data/attr_indices/attr_indptr/
// attr_shape) or dense (attr_matrix), and labels. The node set is kept as stored (no
// largest-connected-component filter, unlike Shchur's preprocessing) and the attribute values
// are kept (they are 0/1 in these files; PyG binarises them).
#pragma once

#include <cstdint>
#include <filesystem>

#include "datasets/node_dataset.h"

namespace moegnn::datasets {

struct GnnBenchmarkOptions {
  // false (default): reverse edges added, duplicates merged, self-loops removed (as PyG builds
  // these sets). true: the stored entries exactly (cora.npz: 5429), rows listing the sources.
  bool as_stored = false;
  // The files ship no split: train/val/test is per_class_split(labels, 20, 30, seed), the
  // protocol of Shchur et al.
  Index train_per_class = 20;
  Index val_per_class = 30;
  std::uint64_t split_seed = 0;
};

// Loads the .npz at `path`; the dataset is named after the file stem. Throws IoError naming the
// file for missing keys, inconsistent CSR arrays, a non-square adjacency, ids out of range or a
// label count that differs from the node count; Unsupported for multi-label (sparse) labels.
NodeDataset load_gnn_benchmark_npz(const std::filesystem::path& path,
                                   const GnnBenchmarkOptions& options = {});

}  // namespace moegnn::datasets
