// SPDX-License-Identifier: Apache-2.0
// Reader of OGB's graph property prediction layout (ogbg-molhiv, ogbg-molpcba, ...), as the ogb
// package's read_csv_graph_raw reads it: raw/num-node-list.csv.gz and raw/num-edge-list.csv.gz
// (nodes and edges per graph), raw/edge.csv.gz ("src,dst" per line, ids local to each graph, graphs
// one after another), raw/node-feat.csv.gz and raw/edge-feat.csv.gz (optional),
// raw/graph-label.csv.gz (num_graphs × num_tasks; an empty field or "nan" marks an unlabelled
// entry), and split/<type>/{train,valid,test}.csv.gz (graph ids). Edge src -> dst is stored as CSR
// row dst, column src (messages flow to the row), with edge features in that order.
#pragma once

#include <filesystem>
#include <string>

#include "datasets/graph_dataset.h"

namespace moegnn::datasets {

// Reads the dataset in `dir` with split folder `split_type` ("" = the only one under split/).
// targets holds the labels as float (NaN unlabelled); when there is one task, no NaN and every
// value is a non-negative integer, labels/num_classes are filled too. Graphs without features get
// one constant-1 column. Throws IoError naming the file (and line where there is one) for a missing
// file, a malformed line, counts that disagree between files, a local node id outside its graph,
// or a graph id outside [0, num_graphs) in a split file.
GraphDataset load_ogb_graph_dataset(const std::filesystem::path& dir,
                                    const std::string& split_type = "");

}  // namespace moegnn::datasets
