// SPDX-License-Identifier: Apache-2.0
// Registry lookup, fetching and dispatch to the loaders.
#include "datasets/registry.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>

#include "core/error.h"
#include "datasets/detail/digest_cache.h"
#include "datasets/detail/registry_table.h"
#include "datasets/geom_gcn.h"
#include "datasets/gnn_benchmark.h"
#include "datasets/heterophilous.h"
#include "datasets/binary_cache.h"
#include "datasets/io/npz.h"
#include "datasets/linkx.h"
#include "datasets/movielens.h"
#include "datasets/ogb.h"
#include "datasets/planetoid.h"

namespace moegnn::datasets {
namespace {

using detail::Family;
using detail::RegistryEntry;

DatasetKind kind_of(Family f) {
  switch (f) {
  case Family::OgbLink:
    return DatasetKind::Link;
  case Family::MovieLens100k:
  case Family::MovieLens1m:
    return DatasetKind::Ratings;
  default:
    return DatasetKind::Node;
  }
}

const char* kind_name(DatasetKind k) {
  switch (k) {
  case DatasetKind::Node:
    return "a node dataset (load_node_dataset)";
  case DatasetKind::Link:
    return "a link dataset (load_link_dataset)";
  case DatasetKind::Ratings:
    return "a ratings dataset (load_ratings_dataset)";
  }
  return "";
}

const RegistryEntry& entry(const std::string& given) {
  const std::string name = canonical_dataset_name(given);
  std::string names;
  for (const RegistryEntry& e : detail::registry_entries()) {
    if (e.name == name) return e;
    names += (names.empty() ? "" : ", ") + e.name;
  }
  MOEGNN_FAIL(InvalidArgument, "datasets::registry", "unknown dataset '", name, "' vs one of ",
              names);
}

const RegistryEntry& entry_of_kind(const std::string& name, DatasetKind kind,
                                   const char* function) {
  const RegistryEntry& e = entry(name);
  MOEGNN_CHECK_AS(InvalidArgument, function, kind_of(e.family) == kind, "'", name, "' is ",
                  kind_name(kind_of(e.family)), " vs ", kind_name(kind));
  return e;
}

// The recorded digest and size of a file (empty digest, size 0 when none is recorded).
detail::KnownFile known_file(const RegistryEntry& e, const std::string& path) {
  const auto& files = detail::known_files();
  const auto it = files.find(e.folder + "/" + path);
  return it == files.end() ? detail::KnownFile{} : it->second;
}

std::string digest_of(const RegistryEntry& e, const std::string& path) {
  return known_file(e, path).sha256;
}

std::string mirror_of(const RegistryOptions& options) {
  if (!options.mirror.empty()) return options.mirror;
  const char* env = std::getenv("MOEGNN_DATA_MIRROR");
  return env != nullptr ? env : "";
}

// The official ZIP: every needed file must have a digest unless unverified downloads are
// allowed; the archive itself has none recorded, its members are checked instead.
void fetch_archive(const RegistryEntry& e, const std::filesystem::path& dir,
                   const RegistryOptions& options) {
  std::map<std::string, std::string> digests;
  for (const detail::RemoteFile& f : e.files) {
    const std::string digest = digest_of(e, f.path);
    MOEGNN_CHECK_AS(IoError, "fetch_dataset",
                    !digest.empty() || options.download_options.allow_unverified, e.name,
                    ": no SHA-256 is recorded for ", f.path,
                    " vs a digest for every file "
                    "of ",
                    e.archive_url, "; place the files in ", dir.string(),
                    " by hand or allow unverified downloads");
    if (!digest.empty()) digests[f.path] = digest;
  }
  const std::filesystem::path zip = dir / (e.name + ".download.zip");
  DownloadOptions archive_options = options.download_options;
  archive_options.allow_unverified = true;  // members are verified below
  download_file(e.archive_url, zip, "", archive_options);
  try {
    extract_zip(zip, dir, e.archive_prefix, digests);
  } catch (...) {
    std::filesystem::remove(zip);
    throw;
  }
  std::filesystem::remove(zip);
}

// Every file of `e` with a recorded digest, checked (cached per file version; see digest_cache.h).
void verify_digests(const RegistryEntry& e, const std::filesystem::path& dir,
                    const RegistryOptions& options) {
  if (!options.verify_digests) return;
  const std::filesystem::path cache = options.digest_cache_dir.empty()
                                          ? detail::default_digest_cache_dir()
                                          : options.digest_cache_dir;
  for (const detail::RemoteFile& f : e.files) {
    const std::string digest = digest_of(e, f.path);
    if (!digest.empty()) detail::verify_file_digest(dir / f.path, digest, cache);
  }
}

// The file (or files) a family reads node features from, for messages.
std::string features_source(const RegistryEntry& e, const std::filesystem::path& dir) {
  switch (e.family) {
  case Family::Planetoid:
    return (dir / ("ind." + e.loader_arg + ".allx")).string() + " / ind." + e.loader_arg + ".tx";
  case Family::GeomGcn:
    return (dir / "out1_node_feature_label.txt").string();
  case Family::GnnBenchmark:
  case Family::Heterophilous:
    return (dir / e.loader_arg).string();
  case Family::OgbNode:
    return (dir / "raw" / "node-feat.csv.gz").string();
  default:
    return e.files.empty() ? dir.string() : (dir / e.files.front().path).string();
  }
}

// A nan or inf feature would train to a flat or exploding loss without an error. `source` (the
// file the features come from) is named in the message when it says more than `what`.
void check_finite_features(const NodeDataset& d, const char* function, const std::string& what,
                           const std::string& source) {
  const auto x = d.features.host();
  for (Index r = 0; r < x.rows(); ++r)
    for (Index c = 0; c < x.cols(); ++c)
      MOEGNN_CHECK_AS(IoError, function, std::isfinite(x(r, c)), what, ": node feature at row ", r,
                      ", column ", c, " is ", x(r, c), " vs a finite value",
                      source.empty() ? std::string() : " (in " + source + ")",
                      "; the file is corrupt, or set RegistryOptions::allow_nonfinite_features");
}

}  // namespace

std::vector<DatasetInfo> list_datasets() {
  std::vector<DatasetInfo> out;
  for (const RegistryEntry& e : detail::registry_entries())
    out.push_back({e.name, kind_of(e.family), e.folder, e.description});
  return out;
}

std::string canonical_dataset_name(const std::string& name) {
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::replace(lower.begin(), lower.end(), '_', '-');
  std::replace(lower.begin(), lower.end(), ' ', '-');  // "Johns Hopkins55"
  // PyG's and OGB's spellings of the same datasets.
  static const std::pair<const char*, const char*> kAliases[] = {
      {"actor", "film"},
      {"computers", "amazon-computers"},
      {"photo", "amazon-photo"},
      {"cs", "coauthor-cs"},
      {"physics", "coauthor-physics"},
      {"movielens100k", "ml-100k"},
      {"movielens1m", "ml-1m"},
      {"cornell5", "fb100-cornell5"},
      {"johns-hopkins55", "fb100-johns-hopkins55"},
      {"amherst41", "fb100-amherst41"},
      {"reed98", "fb100-reed98"},
      {"twitch-e-de", "twitch-de"},
  };
  for (const auto& [alias, canonical] : kAliases)
    if (lower == alias) return canonical;
  for (const RegistryEntry& e : detail::registry_entries())
    if (e.name == lower) return lower;
  return name;
}

DatasetInfo dataset_info(const std::string& name) {
  const RegistryEntry& e = entry(name);
  return {e.name, kind_of(e.family), e.folder, e.description};
}

void fetch_dataset(const std::string& name, const std::filesystem::path& data_dir,
                   const RegistryOptions& options) {
  const RegistryEntry& e = entry(name);
  const std::filesystem::path dir = data_dir / e.folder;
  std::vector<const detail::RemoteFile*> missing;
  for (const detail::RemoteFile& f : e.files)
    if (!std::filesystem::exists(dir / f.path)) missing.push_back(&f);
  if (missing.empty()) return;
  MOEGNN_CHECK_AS(IoError, "fetch_dataset", options.download, name, ": missing file ",
                  (dir / missing.front()->path).string(),
                  " vs present; downloads are off: point the data directory (--data-dir, or "
                  "$MOEGNN_DATA_DIR) at a folder holding '", e.folder,
                  "/', or pass --download to fetch it");
  const std::string mirror = mirror_of(options);
  if (mirror.empty() && !e.archive_url.empty()) {
    fetch_archive(e, dir, options);
  } else {
    for (const detail::RemoteFile* f : missing) {
      MOEGNN_CHECK_AS(IoError, "fetch_dataset", !mirror.empty() || !f->url.empty(), name,
                      ": missing file ", (dir / f->path).string(),
                      " vs present; it has no official download URL with a known SHA-256: "
                      "download it by hand from ",
                      e.manual_source, " and place it there");
      const std::string url = mirror.empty() ? f->url : mirror + "/" + e.folder + "/" + f->path;
      const detail::KnownFile known = known_file(e, f->path);
      download_file(url, dir / f->path, known.sha256, options.download_options, known.size);
    }
  }
  for (const detail::RemoteFile& f : e.files)
    MOEGNN_CHECK_AS(IoError, "fetch_dataset", std::filesystem::exists(dir / f.path), name, ": ",
                    (dir / f.path).string(), " still missing after the download vs present");
}

NodeDataset load_node_dataset(const std::string& name, const std::filesystem::path& data_dir,
                              const RegistryOptions& options) {
  const RegistryEntry& e = entry_of_kind(name, DatasetKind::Node, "load_node_dataset");
  if (e.family == Family::Csbm) {
    NodeDataset d = csbm(options.csbm);
    d.name = canonical_dataset_name(name);
    return d;
  }
  fetch_dataset(name, data_dir, options);
  const std::filesystem::path dir = data_dir / e.folder;
  verify_digests(e, dir, options);
  NodeDataset d;
  switch (e.family) {
  case Family::Planetoid:
    d = load_planetoid(dir, e.loader_arg, {.normalize_features = options.normalize_features});
    break;
  case Family::GeomGcn:
    d = load_geom_gcn(dir, e.loader_arg, {.as_published = options.as_published});
    break;
  case Family::GnnBenchmark:
    d = load_gnn_benchmark_npz(dir / e.loader_arg, {.as_stored = options.as_published});
    break;
  case Family::Linkx:
    d = load_linkx(dir, e.loader_arg, {.as_published = options.as_published}).data;
    break;
  case Family::Heterophilous:
    d = load_heterophilous_npz(dir / e.loader_arg);
    break;
  case Family::Fb100:
    d = load_fb100(dir / e.loader_arg, {},
                   {.as_published = options.as_published, .require_splits = false,
                    .random_splits = 5})
            .data;
    break;
  case Family::TwitchE:
    d = load_twitch_e(dir / e.loader_arg, e.loader_arg,
                      dir / e.loader_arg / ("twitch-e-" + e.loader_arg + "-splits.npy"),
                      {.as_published = options.as_published})
            .data;
    break;
  default:
    d = load_ogb_node(dir, {.split_type = e.loader_arg});
    break;
  }
  d.name = canonical_dataset_name(name);
  if (!options.allow_nonfinite_features)
    check_finite_features(d, "load_node_dataset", e.name, features_source(e, dir));
  if (options.normalize_features && e.family != Family::Planetoid)
    d.features = row_normalize(d.features);
  return d;
}

// The language of a folder holding MUSAE Twitch files (musae_<L>_target.csv), or "".
std::string musae_language(const std::filesystem::path& dir) {
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = f.path().filename().string();
    if (name.starts_with("musae_") && name.ends_with("_target.csv"))
      return name.substr(6, name.size() - 6 - 11);
  }
  return "";
}

NodeDataset load_node_dataset_file(const std::filesystem::path& path,
                                   const RegistryOptions& options) {
  NodeDataset d;
  const std::string language =
      std::filesystem::is_directory(path) ? musae_language(path) : std::string();
  if (!language.empty()) {  // LINKX's split file when present, else 5 random splits
    d = load_twitch_e(path, language, path / ("twitch-e-" + language + "-splits.npy"),
                      {.as_published = options.as_published,
                       .require_splits = false,
                       .random_splits = 5})
            .data;
  } else if (require_file(path, "load_node_dataset_file", "dataset file or MUSAE folder");
             path.extension() == ".mat") {
    d = load_fb100(path, {},
                   {.as_published = options.as_published, .require_splits = false,
                    .random_splits = 5})
            .data;
  } else if (path.extension() == ".npz") {
    const std::vector<std::string> keys = io::list_npz(path);
    const auto has = [&](const char* key) {
      return std::find(keys.begin(), keys.end(), key) != keys.end();
    };
    if (has("node_features") && has("edges")) {
      d = load_heterophilous_npz(path);
    } else if (has("adj_indptr")) {
      d = load_gnn_benchmark_npz(path, {.as_stored = options.as_published});
    } else {
      MOEGNN_FAIL(IoError, "load_node_dataset_file", path.string(),
                  ": an .npz without node_features/edges (Platonov et al.) or adj_* "
                  "(gnn-benchmark) members vs one of those layouts");
    }
  } else {
    d = load_node_dataset_binary(path);
  }
  if (!options.allow_nonfinite_features)
    check_finite_features(d, "load_node_dataset_file", path.string(), "");
  if (options.normalize_features) d.features = row_normalize(d.features);
  return d;
}

LinkDataset load_link_dataset(const std::string& name, const std::filesystem::path& data_dir,
                              const RegistryOptions& options) {
  const RegistryEntry& e = entry_of_kind(name, DatasetKind::Link, "load_link_dataset");
  fetch_dataset(name, data_dir, options);
  verify_digests(e, data_dir / e.folder, options);
  LinkDataset d = load_ogb_link(data_dir / e.folder, {.split_type = e.loader_arg});
  d.name = canonical_dataset_name(name);
  return d;
}

RatingsDataset load_ratings_dataset(const std::string& name, const std::filesystem::path& data_dir,
                                    const RegistryOptions& options) {
  const RegistryEntry& e = entry_of_kind(name, DatasetKind::Ratings, "load_ratings_dataset");
  fetch_dataset(name, data_dir, options);
  const std::filesystem::path dir = data_dir / e.folder;
  verify_digests(e, dir, options);
  return e.family == Family::MovieLens100k ? load_movielens_100k(dir) : load_movielens_1m(dir);
}

}  // namespace moegnn::datasets
