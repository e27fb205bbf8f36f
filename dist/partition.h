// SPDX-License-Identifier: Apache-2.0
// Node partitioning for distributed training: METIS (through its C API, METIS_PartGraphKway) or
// uniformly random, and the quality measures that decide what a partition costs in communication:
// the edge cut, the halo volume (what one layer's exchange moves) and the balance of nodes and of
// training nodes per part. METIS gets DistDGL's vertex weights: two constraints, one per node and
// one per training node, so every part gets its share of both.
#pragma once

#include <cstdint>
#include <vector>

#include "core/index_array.h"
#include "graph/csr.h"

namespace moegnn::dist {

enum class PartitionMethod { Metis, Random };

struct PartitionOptions {
  Index num_parts = 2;
  PartitionMethod method = PartitionMethod::Metis;
  std::uint64_t seed = 0;     // the random assignment's seed; METIS's too (its options[SEED])
  bool balance_train = true;  // METIS: the second constraint on training nodes
};

// assignment[v] = the part that owns node v, in [0, num_parts). `graph` is square (in-neighbour
// rows; symmetrised for METIS, self-loops dropped); `train` lists the training nodes. Deterministic
// for a given seed. Throws InvalidArgument naming dist::partition_nodes for num_parts < 1, more
// parts than nodes, a non-square graph or a train id out of range; Error when METIS fails (its
// status code named).
IndexArray32 partition_nodes(const graph::Csr& graph, const IndexArray32& train,
                             const PartitionOptions& options);

struct PartitionStats {
  Index num_parts = 0;
  std::int64_t edge_cut = 0;      // directed edges (u -> v) whose endpoints have different owners
  std::int64_t halo_volume = 0;   // sum over parts of their halo node counts
  std::vector<Index> nodes{};     // per part
  std::vector<Index> train{};     // per part
  std::vector<Index> halo{};      // per part
  double node_imbalance = 0.0;    // max / mean of nodes
  double train_imbalance = 0.0;   // max / mean of train (0 without training nodes)
  // Added with the part files: per part, the rows it sends in one exchange (its owned nodes counted
  // once per other part that holds them as halo); sums to halo_volume.
  std::vector<Index> send{};
};

// Measures `assignment` on `graph`. O(nnz). Throws InvalidArgument as partition_nodes.
PartitionStats partition_stats(const graph::Csr& graph, const IndexArray32& train,
                               const IndexArray32& assignment, Index num_parts);

}  // namespace moegnn::dist
