// SPDX-License-Identifier: Apache-2.0
// Loader for the Planetoid citation sets (Yang et al., 2016) from their original files
// ind.<name>.{x,y,tx,ty,allx,ally,graph,test.index}, following Kipf's GCN loader and PyG's
// Planetoid: features = allx rows, then row test.index[i] gets tx row i; the ids between
// allx.rows and the largest test id that test.index skips (CiteSeer's 15 isolated papers) get
// zero feature rows and label 0; labels are the argmax of the one-hot y/ally/ty rows; the graph
// dict is symmetrised with self-loops and duplicates removed (Cora: 2708 nodes, 10,556 stored
// entries). The public split is train = the first y.rows nodes (20 per class), val = the 500
// nodes after them, test = test.index (sorted). The 10 Geom-GCN splits are read from
// geom-gcn-splits/<name>_split_0.6_0.2_<k>.npz when present.
#pragma once

#include <filesystem>
#include <string>

#include "datasets/node_dataset.h"

namespace moegnn::datasets {

struct PlanetoidOptions {
  bool normalize_features = false;  // divide each feature row by its sum (Kipf's preprocessing)
  bool geom_gcn_splits = true;      // read geom-gcn-splits/ into `splits` when it exists
};

// Loads `name` ("cora", "citeseer", "pubmed") from `dir`. Throws IoError naming the file for a
// missing or malformed file, and on inconsistent contents: row counts of x/y, tx/ty, allx/ally or
// test.index that disagree, feature widths that differ, test ids that repeat or fall inside the
// allx rows, fewer than y.rows + 500 allx rows, or graph ids beyond the node count.
NodeDataset load_planetoid(const std::filesystem::path& dir, const std::string& name,
                           const PlanetoidOptions& options = {});

// Each row divided by its sum; all-zero rows stay zero. Returns a new tensor (CPU).
Tensor row_normalize(const Tensor& features);

}  // namespace moegnn::datasets
