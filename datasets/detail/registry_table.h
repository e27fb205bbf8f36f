// SPDX-License-Identifier: Apache-2.0
// The registry's data (private): for each dataset name, its loader family, its folder under the
// data directory, the files the loader needs with their official URLs (or the official ZIP they
// come from), and the recorded SHA-256 digests.
#pragma once

#include <cstdint>
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
  Fb100,    // a facebook100 school's .mat, LINKX's random splits
  TwitchE,  // a MUSAE Twitch language (LINKX's twitch-e) with LINKX's split file
  Heterophilous,
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

// What the registry records of a file: its SHA-256 (lower-case hex) and its size in bytes (a
// download stops once the server sends more).
struct KnownFile {
  std::string sha256{};
  std::uint64_t size = 0;
};

// "<folder>/<path>" -> digest and size, for every file with a recorded digest.
const std::map<std::string, KnownFile>& known_files();

}  // namespace moegnn::datasets::detail
