// SPDX-License-Identifier: Apache-2.0
// Loader for the Geom-GCN heterophily benchmarks (Pei et al., 2020) in their published layout:
// out1_graph_edges.txt (header, then `src<TAB>dst` per line), out1_node_feature_label.txt
// (header, then `id<TAB>features<TAB>label`; dense comma-separated 0/1 values for
// texas/wisconsin/cornell/chameleon/squirrel, a comma-separated list of the non-zero feature
// indices for film) and splits/<name>_split_0.6_0.2_<k>.npz, k = 0..9 (train/val/test masks).
// Nodes are placed by their id column (film's lines are shuffled). Edge convention: see
// GeomGcnOptions and docs/datasets.md.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "datasets/node_dataset.h"

namespace moegnn::datasets {

struct GeomGcnOptions {
  // false (default): the library's convention, reverse edges added, duplicates merged and
  // self-loops removed (texas: 558 stored entries). true: the edges as published, only
  // duplicates merged (direction and self-loops kept: texas 325), exactly what PyG's WebKB,
  // WikipediaNetwork(geom_gcn_preprocess=True) and Actor loaders build.
  bool as_published = false;
  bool require_splits = true;  // throw when splits/ is missing; false: load without splits
};

// Loads `dir` (a folder with the files above); `name` ("texas", "film", ...) names the split
// files and the dataset. splits holds the 10 published splits and train/val/test is split 0.
// Throws IoError naming the file for a missing file, malformed lines, node ids that are not a
// permutation of 0..N-1, rows of different feature widths, edge ids outside [0, N), or split
// masks whose length differs from N.
NodeDataset load_geom_gcn(const std::filesystem::path& dir, const std::string& name,
                          const GeomGcnOptions& options = {});

// The Geom-GCN split files <folder>/<name>_split_0.6_0.2_<k>.npz for k = 0..9 (masks of length
// num_nodes, any bool or integer dtype). Returns an empty vector when split 0 is missing; throws
// IoError when a later one is missing, a mask has the wrong length or masks overlap.
std::vector<NodeSplit> read_geom_gcn_splits(const std::filesystem::path& folder,
                                            const std::string& name, Index num_nodes);

}  // namespace moegnn::datasets
