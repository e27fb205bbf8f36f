// SPDX-License-Identifier: Apache-2.0
// Binary dataset cache: a loaded NodeDataset or LinkDataset written once and reloaded without
// parsing. Two files: the graph in the graph/io.h format at <path>.graph, and at <path> a small
// versioned container (datasets/detail/container.h) with features, labels, splits and the name,
// CRC-32 checked, whose header also fingerprints the graph file (shape and a CRC of its arrays)
// so a container and a graph from different conversions are never paired. Both files are written
// atomically (temporary, fsync, rename; the graph first). Reloading shares memory with the file
// image: features and id arrays view one aligned buffer, the graph is memory-mapped.
#pragma once

#include <filesystem>

#include "datasets/link_dataset.h"
#include "datasets/node_dataset.h"

namespace moegnn::datasets {

// Where the graph of the cache at `path` lives: <path>.graph.
std::filesystem::path cache_graph_path(const std::filesystem::path& path);

// Checks `dataset` (check()) and writes it. Throws InvalidArgument for an invalid dataset and
// IoError when a file cannot be written.
void save_node_dataset(const NodeDataset& dataset, const std::filesystem::path& path);
void save_link_dataset(const LinkDataset& dataset, const std::filesystem::path& path);

// Reads a cache written by save_node_dataset / save_link_dataset. verify_checksum: CRC of the
// container and of the graph arrays (the graph's structure is always validated). Throws IoError
// naming the file for a missing, truncated, corrupt or mismatched file, another format version,
// or a cache of the other dataset kind.
NodeDataset load_node_dataset_binary(const std::filesystem::path& path,
                                     bool verify_checksum = true);
LinkDataset load_link_dataset_binary(const std::filesystem::path& path,
                                     bool verify_checksum = true);

enum class CacheKind { None, Node, Link };

// What the file at `path` holds, from its first 16 bytes: None when it is missing or does not
// start with the container's magic (what `moegnn-data info` uses to tell a cache file from a
// dataset name). Never throws.
CacheKind dataset_cache_kind(const std::filesystem::path& path);

}  // namespace moegnn::datasets
