// SPDX-License-Identifier: Apache-2.0
// Reader of the TU Dortmund graph-kernel benchmark format (Morris et al., "TUDataset", 2020):
// a directory DS/ with DS_A.txt ("row, col" 1-based node ids, one line per directed edge),
// DS_graph_indicator.txt (graph id per node, non-decreasing), and either DS_graph_labels.txt
// (integer class per graph, mapped to 0..C-1 in sorted order) or DS_graph_attributes.txt (real
// targets), plus the optional DS_node_labels.txt, DS_node_attributes.txt, DS_edge_labels.txt and
// DS_edge_attributes.txt. Separators are commas with optional blanks. Node features are the one-hot
// node labels (each label column shifted to start at 0, as PyG's TUDataset) followed by the node
// attributes; a dataset with neither gets one constant-1 column. Edge features are the one-hot
// edge labels followed by the edge attributes. Duplicate edge lines are merged (the first line's
// edge features kept), self-loops kept.
#pragma once

#include <filesystem>
#include <string>

#include "datasets/graph_dataset.h"

namespace moegnn::datasets {

// Reads directory `dir` whose files are named <name>_*.txt (name: the directory's own name when
// empty). Throws IoError naming the file and the 1-based line for a missing required file, a
// malformed line, a node id out of range, an edge joining two graphs, a per-node or per-edge file
// with the wrong number of lines, a graph id sequence that decreases or skips a graph, or a file
// whose lines disagree in their number of values.
GraphDataset load_tu_dataset(const std::filesystem::path& dir, std::string name = "");

}  // namespace moegnn::datasets
