// SPDX-License-Identifier: Apache-2.0
// Loader for the heterophilous benchmarks of Platonov et al. (ICLR 2023; PyG's
// HeterophilousGraphDataset): roman-empire, amazon-ratings, minesweeper, tolokers and questions.
// Each is one .npz holding node_features (N × F), node_labels (N), edges (E × 2, each undirected
// edge once) and train_masks / val_masks / test_masks (10 × N, one row per published split). The
// graph is made undirected (reverse edges added, duplicates merged, self-loops removed, as PyG's
// ToUndirected); the 10 splits go to NodeDataset::splits (split 0 is the default). The binary
// sets (minesweeper, tolokers, questions) are scored by ROC-AUC in the paper, which
// NodeDataset::metric says.
#pragma once

#include <filesystem>

#include "datasets/node_dataset.h"

namespace moegnn::datasets {

// Loads the .npz at `path`; the dataset is named after the file stem with '_' as '-'
// ("roman_empire.npz" -> "roman-empire"). Throws IoError naming the file and the member for a
// missing member, a member of the wrong shape or type, an edge id outside [0, N), a label
// outside [0, N), masks that are not N wide or disagree in count, and overlapping sets in a split.
NodeDataset load_heterophilous_npz(const std::filesystem::path& path);

}  // namespace moegnn::datasets
