// SPDX-License-Identifier: Apache-2.0
// The registry's data (private): for each dataset name, its loader family, its folder under the
// data directory, the files the loader needs with their official URLs (or the official ZIP they
// come from), and the recorded SHA-256 digests.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace moegnn::datasets::detail {

enum class Family {
  Planetoid,
  GeomGcn,
  GnnBenchmark,
  OgbNode,
  OgbLink,
  MovieLens100k,
  MovieLens1m,
  Linkx,
  Csbm
};

struct RemoteFile {
  std::string path{};  // relative to the dataset folder
  std::string url{};   // official URL; empty when the file comes from the archive
};

struct RegistryEntry {
  std::string name{};
  Family family = Family::Csbm;
  std::string folder{};  // below the data directory
  std::string description{};
  std::vector<RemoteFile> files{};  // what the loader reads
  std::string archive_url{};        // official ZIP holding `files` (OGB, MovieLens), or empty
  std::string archive_prefix{};     // member-name prefix stripped when unpacking
  std::string loader_arg{};         // family-specific: the .npz name, the Planetoid/Geom-GCN name
  std::string manual_source{};      // where to get files that have no official URL (LINKX)
};

// Every registered dataset, in listing order.
const std::vector<RegistryEntry>& registry_entries();

// "<folder>/<path>" -> SHA-256 (lower-case hex) for every file with a recorded digest.
const std::map<std::string, std::string>& known_digests();

}  // namespace moegnn::datasets::detail
