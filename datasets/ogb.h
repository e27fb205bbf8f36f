// SPDX-License-Identifier: Apache-2.0
// Loaders for Open Graph Benchmark datasets in OGB's raw download layout (what the official
// zips unpack to), without the ogb Python package:
//   node property (ogbn-*): raw/edge.csv.gz (src,dst per line), raw/num-node-list.csv.gz,
//     raw/node-feat.csv.gz (optional), raw/node-label.csv.gz (one integer per line),
//     split/<type>/{train,valid,test}.csv.gz (node ids);
//   link property (ogbl-*): raw/num-node-list.csv.gz, raw/node-feat.csv.gz (optional),
//     split/<type>/{train,valid,test}.pt (PyTorch legacy files holding edge/edge_neg,
//     source_node/target_node/target_node_neg, weight, year). When train.pt is absent the
//     training positives are raw/edge.csv.gz (with raw/edge_weight.csv.gz and
//     raw/edge_year.csv.gz when present), which in OGB's link layout is the training graph.
// Graphs are symmetrised with self-loops removed (OGB's citation graphs are directed;
// PyG users add ToUndirected, which this matches).
#pragma once

#include <filesystem>
#include <string>

#include "datasets/link_dataset.h"
#include "datasets/node_dataset.h"

namespace moegnn::datasets {

struct OgbOptions {
  std::string split_type;  // folder under split/; empty: the only one there
};

// Loads an ogbn-* folder; the name is the folder's name. Throws IoError naming the file for a
// missing or malformed file, a node count that disagrees between files, ids out of range, or
// several split types without options.split_type; Unsupported for multi-column labels.
NodeDataset load_ogb_node(const std::filesystem::path& dir, const OgbOptions& options = {});

// Loads an ogbl-* folder. Throws IoError as load_ogb_node, and for split files without
// positive pairs or with keys of inconsistent lengths.
LinkDataset load_ogb_link(const std::filesystem::path& dir, const OgbOptions& options = {});

}  // namespace moegnn::datasets
