// SPDX-License-Identifier: Apache-2.0
// The dataset registry: names ("cora", "texas", "ogbl-ddi", "ml-100k", "csbm", ...) mapped to
// their loaders, their folder under the data directory and their official sources. A dataset
// whose files are missing is downloaded (datasets/download.h) from its official URL, verified
// against the recorded SHA-256, unless downloads are turned off. `moegnn-data info` lists the
// names; docs/datasets.md describes each family's conventions.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "datasets/csbm.h"
#include "datasets/data_dir.h"
#include "datasets/download.h"
#include "datasets/link_dataset.h"
#include "datasets/node_dataset.h"
#include "datasets/ratings_dataset.h"

namespace moegnn::datasets {

enum class DatasetKind { Node, Link, Ratings };

struct DatasetInfo {
  std::string name{};
  DatasetKind kind = DatasetKind::Node;
  std::string folder{};  // below the data directory (empty for generated datasets)
  std::string description{};
};

struct RegistryOptions {
  bool download = true;  // fetch missing files; false: throw IoError naming the first one
  DownloadOptions download_options{};
  // Base URL of a mirror laid out like the data directory (<mirror>/<folder>/<file>), used
  // instead of the official URLs (no archives). Empty: $MOEGNN_DATA_MIRROR when set.
  std::string mirror{};
  bool normalize_features = false;  // row-normalise node features (Kipf's preprocessing)
  bool as_published = false;        // Geom-GCN / gnn-benchmark edges exactly as stored
  CsbmOptions csbm{.num_nodes = 1000, .num_classes = 5};  // for "csbm"
  // Check every file whose SHA-256 is recorded before loading it. The digest is computed once per
  // file version (size, mtime) and cached in `digest_cache_dir` (empty: $XDG_CACHE_HOME/moegnn or
  // ~/.cache/moegnn); an unwritable cache only means hashing again in the next process.
  bool verify_digests = true;
  std::filesystem::path digest_cache_dir{};
  // Node features that are nan or ±inf throw IoError naming the dataset, the file, the first row
  // and column; true loads them as stored.
  bool allow_nonfinite_features = false;
};

// Every registered dataset, in listing order.
std::vector<DatasetInfo> list_datasets();

// The registered name of `name`: itself, its lower-case form with '-' for '_' ("Cora" -> "cora",
// "ogbn_arxiv" -> "ogbn-arxiv"), or the name PyG and OGB use for it ("actor" -> "film",
// "computers" -> "amazon-computers"); `name` unchanged when none is registered. Every function
// here takes these spellings.
std::string canonical_dataset_name(const std::string& name);

// The registry entry of `name`. Throws InvalidArgument listing the known names when there is
// none.
DatasetInfo dataset_info(const std::string& name);

// Makes sure every file the loader of `name` reads exists under data_dir/<folder>, downloading
// the missing ones (see RegistryOptions). Throws InvalidArgument for an unknown name, IoError
// when a file is missing and cannot be fetched (no download, no recorded digest without
// allow_unverified, network or verification failure).
void fetch_dataset(const std::string& name, const std::filesystem::path& data_dir,
                   const RegistryOptions& options = {});

// Fetches (see fetch_dataset), verifies the recorded digests (see RegistryOptions) and loads a
// dataset of the given kind. Throws InvalidArgument for an unknown name or one of another kind
// (naming the right function), IoError from the loaders, for a digest mismatch and for
// non-finite node features.
NodeDataset load_node_dataset(const std::string& name,
                              const std::filesystem::path& data_dir = default_data_dir(),
                              const RegistryOptions& options = {});
// A node dataset given by its path, not by name: a Platonov et al. .npz (node_features, edges,
// the masks; datasets/heterophilous.h), a gnn-benchmark .npz (adj_*; gnn_benchmark.h), a
// facebook100 school's .mat (LINKX: gender labels, 5 random 50/25/25 splits), a folder of MUSAE
// Twitch files (musae_<L>_*; LINKX's twitch-e, with its split file when the folder holds it, else
// 5 random splits) or a 'moegnn-data convert' cache (binary_cache.h), told apart by extension
// and content. Non-finite features and normalisation as load_node_dataset. Throws IoError naming
// the path when it is none of them.
NodeDataset load_node_dataset_file(const std::filesystem::path& path,
                                   const RegistryOptions& options = {});

LinkDataset load_link_dataset(const std::string& name,
                              const std::filesystem::path& data_dir = default_data_dir(),
                              const RegistryOptions& options = {});
RatingsDataset load_ratings_dataset(const std::string& name,
                                    const std::filesystem::path& data_dir = default_data_dir(),
                                    const RegistryOptions& options = {});

}  // namespace moegnn::datasets
