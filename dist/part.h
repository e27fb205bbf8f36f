// SPDX-License-Identifier: Apache-2.0
// Part: one rank's share of a node dataset split into P parts (DistDGL's layout). A node belongs to
// exactly one part, its owner. A part holds its owned nodes (their features, labels and split
// membership) and the full in-neighbour row of each owned node, whose columns are local ids: the
// owned nodes first, then the halo (ghost) nodes, the in-neighbours owned by another part. Rows of
// halo nodes are not stored, so one layer of message passing over the local graph needs the halo
// rows of the layer's input from their owners: the halo exchange, whose plan (`send`) the part
// carries. Partitioning itself (dist/partition.h) needs no MPI; training over parts does.
//
// Local ids: [0, num_owned) are owned nodes in ascending global id; [num_owned, num_owned +
// num_halo) are halo nodes sorted by (owner part, global id), so the rows part q receives from
// part p are one contiguous range of q's halo.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/index_array.h"
#include "core/tensor.h"
#include "datasets/node_dataset.h"
#include "dist/partition.h"
#include "graph/csr.h"

namespace moegnn::dist {

struct Part {
  Index part_id = 0;
  Index num_parts = 1;
  Index num_global_nodes = 0;
  Index num_classes = 0;
  std::string dataset_name{};

  IndexArray32 owned{};       // global id of local node i < num_owned(), ascending
  IndexArray32 halo{};        // global id of local node num_owned() + j, sorted by (owner, global id)
  IndexArray32 halo_owner{};  // owner part of each halo node
  // Local in-neighbour rows: num_owned() × num_local(); row i is the dataset graph's row owned[i]
  // with its columns mapped to local ids (sorted), its edge values kept.
  graph::Csr graph{};
  // The dataset graph's in-degree (row length, without self-loops added) of every local node,
  // owned then halo: what a GCN's symmetric normalisation needs of nodes whose rows live elsewhere.
  IndexArray32 global_degree{};

  Tensor features{};     // num_owned() × num_features
  IndexArray32 labels{};  // num_owned() entries
  IndexArray32 train{};   // local ids (< num_owned()), ascending
  IndexArray32 val{};
  IndexArray32 test{};

  // The halo exchange plan. send[p]: the local ids of owned nodes that part p holds as halo, in
  // p's halo order (so p writes what it receives from this part straight into its halo range).
  // recv_offset[p] .. recv_offset[p + 1]: the halo range (relative to num_owned()) this part
  // receives from p. send[part_id] is empty. Both have num_parts (+1) entries.
  std::vector<IndexArray32> send{};
  std::vector<Index> recv_offset{};

  Index num_owned() const { return owned.size(); }
  Index num_halo() const { return halo.size(); }
  Index num_local() const { return num_owned() + num_halo(); }
};

// Builds part `part_id` of `dataset` from `assignment` (assignment[v] in [0, num_parts): the owner
// of node v). O(nnz + num_nodes). Throws InvalidArgument naming dist::build_part for an assignment
// of the wrong length, an owner out of range, or a part_id outside [0, num_parts).
Part build_part(const datasets::NodeDataset& dataset, const IndexArray32& assignment,
                Index part_id, Index num_parts);

// What a part directory set records in its manifest (written last, so a set without one is
// incomplete and refused).
struct PartsManifest {
  Index num_parts = 0;
  Index num_global_nodes = 0;
  Index num_features = 0;
  Index num_classes = 0;
  std::string dataset_name{};
  std::string graph_digest{};  // SHA-256 over the dataset graph's CSR arrays and the assignment
  std::string method{};        // "metis" | "random"
  // Added with the part files (dist/part_io.cpp): how the assignment was made and what it costs.
  std::uint64_t seed = 0;
  bool balance_train = true;
  std::int64_t num_edges = 0;  // of the dataset graph
  PartitionStats stats{};      // partition_stats of the assignment
};

// What write_parts records in the manifest about how the assignment was made.
struct PartsWriteOptions {
  std::string method = "metis";
  std::uint64_t seed = 0;
  bool balance_train = true;
};

// Writes every part of `dataset` under `dir` as dir/part-<k>/ (each file atomic) and then
// dir/manifest.json. Throws IoError naming the file on a write failure (nothing is left that
// load_part would accept).
void write_parts(const datasets::NodeDataset& dataset, const IndexArray32& assignment,
                 Index num_parts, const std::string& method, const std::filesystem::path& dir);
// The same, recording options.seed and options.balance_train in the manifest too. Returns the
// manifest it wrote.
PartsManifest write_parts(const datasets::NodeDataset& dataset, const IndexArray32& assignment,
                          Index num_parts, const PartsWriteOptions& options,
                          const std::filesystem::path& dir);

// Reads dir/manifest.json. Throws IoError naming the file when it is missing or malformed.
PartsManifest read_parts_manifest(const std::filesystem::path& dir);

// Loads part `part_id` of the set in `dir`, checking it against the manifest (part count, ids,
// sizes, the digest recorded in the part). Throws IoError naming the missing, truncated or
// mismatched file (got vs expected) before any training starts.
Part load_part(const std::filesystem::path& dir, Index part_id);

}  // namespace moegnn::dist
