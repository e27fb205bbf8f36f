// SPDX-License-Identifier: Apache-2.0
// Block: one layer's message-flow graph from neighbour sampling (DGL's MFG / "block"). Its rows are
// the layer's destination nodes, its columns the source nodes, both in local ids; the first num_dst
// sources are the destinations themselves, so a layer can read x_dst = x_src[0:num_dst] for its root
// term. A model runs blocks[0] (input layer) to blocks.back() (output layer, rows = the seeds).
#pragma once

#include "graph/csr.h"

namespace moegnn::graph {

struct Block {
  Csr adj;            // num_dst × num_src; rows sorted by local source id
  NodeIds src_nodes;  // global ids of the num_src sources; the first num_dst are the destinations
  Index num_dst = 0;
  EdgeIds edge_ids;   // edge e of adj is edge edge_ids[e] of the sampled graph (for edge features)

  Index num_src() const { return src_nodes.size(); }
};

}  // namespace moegnn::graph
