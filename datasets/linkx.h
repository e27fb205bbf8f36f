// SPDX-License-Identifier: Apache-2.0
// Loaders for the LINKX large heterophilous benchmarks (Lim et al., NeurIPS 2021) in the formats
// their reference code reads (CUAI/Non-Homophily-Large-Scale, dataset.py and load_data.py), with
// the fixed splits it publishes:
//   fb100-<School>  facebook100/<School>.mat (e.g. Penn94): A (sparse adjacency), local_info (one
//                   row per node: student/faculty, gender, major, second major, dorm, year, high
//                   school; 0 = missing). Label = gender - 1 (missing -> unlabeled). Features:
//                   every other column one-hot encoded as sklearn's label_binarize does over the
//                   column's sorted distinct values (so a column of 2 values gives ONE 0/1 column,
//                   of 1 value one zero column), concatenated in column order.
//   twitch-gamer    twitch-gamer_feat.csv + twitch-gamer_edges.csv (LINKX's names) or SNAP's
//                   large_twitch_features.csv + large_twitch_edges.csv: label = `mature`; features
//                   = the other columns but numeric_id in file order, dates as YYYYMMDD integers,
//                   language as the index of its first appearance, then each column standardised
//                   (mean 0, sample std 1). Nodes are placed by numeric_id.
//   pokec, genius   <name>.mat with edge_index (2 × E), node_feat (N × F, dense or sparse), label
//                   and (pokec) num_nodes; a label of -1 is unlabeled.
// Splits: splits/<name>-splits.npy, a pickled object array of dicts {train, valid, test} of node
// ids (lists or integer arrays); every published split is kept and split 0 is the default.
// Nodes without a label get label 0 in NodeDataset::labels (whose labels must lie in
// [0, num_classes)) and are listed in LinkxDataset::unlabeled; LINKX's splits never contain them
// (checked). Edges: see LinkxOptions::as_published.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/index_array.h"
#include "datasets/node_dataset.h"

namespace moegnn::datasets {

struct LinkxOptions {
  // false (default): the library's convention, reverse edges added, duplicates merged, self-loops
  // removed (LINKX's training script makes every graph undirected the same way). true: the edges
  // exactly as stored (fb100: the non-zeros of A; pokec/genius: edge_index), duplicates merged.
  bool as_published = false;
  bool normalize_features = true;  // twitch-gamer: LINKX's column standardisation
  bool require_splits = true;      // throw when the split file is missing; false: no splits
  // > 0 and no split file: this many LINKX random splits instead (linkx_random_splits, 50/25/25 of
  // the labelled nodes, split r from seed r), as LINKX's training script draws for the sets it
  // ships no split file for.
  Index random_splits = 0;
};

struct LinkxDataset {
  NodeDataset data{};
  IndexArray32 unlabeled{};  // ascending ids of nodes without a label (label 0 in data.labels)
};

// A facebook100 school: `mat_file` as above, `splits_file` the LINKX split file (may be empty or
// missing when !options.require_splits). Throws IoError naming the file for missing variables,
// shapes that disagree, non-integral local_info values, or bad splits.
LinkxDataset load_fb100(const std::filesystem::path& mat_file,
                        const std::filesystem::path& splits_file, const LinkxOptions& options = {});

// twitch-gamer from `dir` (the CSV pair under either naming) and `splits_file`. Throws IoError
// naming the file and line for missing columns, malformed fields, numeric_id values that are not
// a permutation of 0..N-1, edge ids out of range, or bad splits.
LinkxDataset load_twitch_gamer(const std::filesystem::path& dir,
                               const std::filesystem::path& splits_file,
                               const LinkxOptions& options = {});

// twitch-e (LINKX) for one MUSAE language ("DE", "ENGB", "ES", "FR", "PT", "RU"): `dir` holds
// musae_<L>_edges.csv (header from,to; each undirected edge once), musae_<L>_target.csv (header
// with columns mature and new_id; label = mature == "True", the first line of a repeated new_id
// wins) and musae_<L>_features.json ({"<node>": [feature ids]}: a 0/1 matrix whose columns are the
// feature ids used, ascending, as LINKX's after dropping all-zero columns); `splits_file` LINKX's
// twitch-e-<L>-splits.npy. Throws IoError naming the file and line (CSV) or key (JSON) for
// missing columns, values other than True/False, node ids missing or out of range, malformed JSON,
// and bad splits.
LinkxDataset load_twitch_e(const std::filesystem::path& dir, const std::string& language,
                           const std::filesystem::path& splits_file,
                           const LinkxOptions& options = {});

// LINKX's random splits (rand_train_test_idx with ignore_negative): `count` splits of the
// labelled nodes of `dataset`, each a seeded shuffle (split r from seed r) cut into
// train_fraction, val_fraction and the rest. Throws InvalidArgument for count < 1 or fractions
// outside [0, 1] or summing past 1.
std::vector<NodeSplit> linkx_random_splits(const LinkxDataset& dataset, Index count,
                                           double train_fraction = 0.5, double val_fraction = 0.25);

// pokec / genius .mat files (see above). Throws IoError as load_fb100.
LinkxDataset load_linkx_mat(const std::filesystem::path& mat_file,
                            const std::filesystem::path& splits_file,
                            const LinkxOptions& options = {});

// A LINKX split file for a graph of `num_nodes` nodes: each part sorted, parts disjoint. Throws
// IoError naming the file for a malformed file, missing keys, ids out of range or overlaps.
std::vector<NodeSplit> read_linkx_splits(const std::filesystem::path& path, Index num_nodes);

// By LINKX name ("fb100-Penn94", "twitch-gamer", "pokec", "genius") from `dir` laid out as the
// reference code's data/ folder: facebook100/<School>.mat, <name>.mat, the twitch CSVs, and
// splits/<name>-splits.npy. Throws InvalidArgument for another name, IoError as above (a missing
// file is named with where LINKX's README says to get it).
LinkxDataset load_linkx(const std::filesystem::path& dir, const std::string& name,
                        const LinkxOptions& options = {});

}  // namespace moegnn::datasets
