// SPDX-License-Identifier: Apache-2.0
// moegnn-data: inspects and converts datasets. `info <dataset>` loads a registered dataset (or a
// binary cache file written by `convert`) from the data directory, downloading it when missing,
// and prints its sizes, split sizes (every published split) and edge homophily; `convert
// <dataset> <out-file>` writes the binary cache (<out-file> and <out-file>.graph); `list` prints
// the registered names; `generate <out-dir>` writes a power-law dataset (datasets/powerlaw.h) with
// its features streamed to disk, which `info <out-dir>` then reads. Errors print `error: ...` and
// exit with status 1.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>

#include "core/error.h"
#include "datasets/binary_cache.h"
#include "datasets/homophily.h"
#include "datasets/powerlaw.h"
#include "datasets/registry.h"

namespace {

namespace ds = moegnn::datasets;
using ll = long long;

void print_split(const char* label, const moegnn::IndexArray32& train,
                 const moegnn::IndexArray32& val, const moegnn::IndexArray32& test) {
  std::printf("  %-10s train %lld / val %lld / test %lld\n", label, static_cast<ll>(train.size()),
              static_cast<ll>(val.size()), static_cast<ll>(test.size()));
}

void print_node(const ds::NodeDataset& d) {
  std::printf("dataset       %s (node classification)\n", d.name.c_str());
  std::printf("  nodes       %lld\n", static_cast<ll>(d.num_nodes()));
  std::printf("  edges       %lld stored entries\n", static_cast<ll>(d.graph.num_edges()));
  std::printf("  features    %lld\n", static_cast<ll>(d.num_features()));
  std::printf("  classes     %lld\n", static_cast<ll>(d.num_classes));
  std::printf("  homophily   %.4f (edge)\n", ds::edge_homophily(d.graph, d.labels));
  print_split("split", d.train, d.val, d.test);
  for (std::size_t i = 0; i < d.splits.size(); ++i) {
    const std::string label = "split " + std::to_string(i);
    print_split(label.c_str(), d.splits[i].train, d.splits[i].val, d.splits[i].test);
  }
}

void print_link_split(const char* label, const ds::LinkSplit& s) {
  std::printf("  %-10s %lld positive / %lld negative pairs\n", label, static_cast<ll>(s.pos.size()),
              static_cast<ll>(s.neg.size()));
}

void print_link(const ds::LinkDataset& d) {
  std::printf("dataset       %s (link prediction)\n", d.name.c_str());
  std::printf("  nodes       %lld\n", static_cast<ll>(d.num_nodes()));
  std::printf("  edges       %lld stored entries (training graph)\n",
              static_cast<ll>(d.graph.num_edges()));
  std::printf("  features    %lld\n", static_cast<ll>(d.num_features()));
  print_link_split("train", d.train);
  print_link_split("val", d.val);
  print_link_split("test", d.test);
}

void print_ratings(const ds::RatingsDataset& d) {
  std::printf("dataset       %s (ratings)\n", d.name.c_str());
  std::printf("  users       %lld\n  items       %lld\n  ratings     %lld\n",
              static_cast<ll>(d.num_users), static_cast<ll>(d.num_items),
              static_cast<ll>(d.num_ratings()));
}

void info(const std::string& name, const std::string& data_dir, const ds::RegistryOptions& o) {
  if (std::filesystem::is_regular_file(std::filesystem::path(name) / "manifest.npy"))
    return print_node(ds::load_powerlaw(name));  // a directory written by `generate`
  switch (ds::dataset_cache_kind(name)) {
  case ds::CacheKind::Node:
    return print_node(ds::load_node_dataset_binary(name));
  case ds::CacheKind::Link:
    return print_link(ds::load_link_dataset_binary(name));
  case ds::CacheKind::None:
    break;
  }
  switch (ds::dataset_info(name).kind) {
  case ds::DatasetKind::Node:
    return print_node(ds::load_node_dataset(name, data_dir, o));
  case ds::DatasetKind::Link:
    return print_link(ds::load_link_dataset(name, data_dir, o));
  case ds::DatasetKind::Ratings:
    return print_ratings(ds::load_ratings_dataset(name, data_dir, o));
  }
}

void convert(const std::string& name, const std::string& out, const std::string& data_dir,
             const ds::RegistryOptions& o) {
  switch (ds::dataset_info(name).kind) {
  case ds::DatasetKind::Node:
    ds::save_node_dataset(ds::load_node_dataset(name, data_dir, o), out);
    break;
  case ds::DatasetKind::Link:
    ds::save_link_dataset(ds::load_link_dataset(name, data_dir, o), out);
    break;
  case ds::DatasetKind::Ratings:
    throw moegnn::Unsupported("convert: '" + name +
                              "' is a ratings dataset vs a node or link dataset");
  }
  std::printf("wrote %s and %s\n", out.c_str(), ds::cache_graph_path(out).c_str());
}

void generate(const ds::PowerlawOptions& o, const std::string& out) {
  const ds::PowerlawWriteStats s = ds::write_powerlaw(o, out);
  std::printf("wrote %s: %lld nodes, %lld stored edges, %lld features in %lld chunks of %lld "
              "rows\n", out.c_str(), static_cast<ll>(o.num_nodes), static_cast<ll>(s.num_edges),
              static_cast<ll>(o.num_features), static_cast<ll>(s.num_chunks),
              static_cast<ll>(s.chunk_rows));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Inspect, download and convert moegnn datasets."};
  app.require_subcommand(1);
  std::string name, out, data_dir;
  ds::RegistryOptions options;
  bool offline = false;
  const auto common = [&](CLI::App* sub) {
    sub->add_option("--data-dir", data_dir,
                    "data directory (default $MOEGNN_DATA_DIR or ~/.cache/moegnn)");
    sub->add_flag("--offline", offline, "never download; fail on missing files");
    sub->add_flag("--allow-unverified", options.download_options.allow_unverified,
                  "download files that have no recorded SHA-256");
    sub->add_flag("--as-published", options.as_published, "keep Geom-GCN / .npz edges as stored");
    sub->add_flag("--normalize-features", options.normalize_features,
                  "row-normalise node features");
  };
  CLI::App* info_cmd = app.add_subcommand("info", "print sizes, splits and homophily");
  info_cmd->add_option("dataset", name, "registered name, cache file or generated directory")
      ->required();
  common(info_cmd);
  CLI::App* convert_cmd = app.add_subcommand("convert", "write the binary cache of a dataset");
  convert_cmd->add_option("dataset", name, "registered name")->required();
  convert_cmd->add_option("out-file", out, "cache file (the graph goes to <out-file>.graph)")
      ->required();
  common(convert_cmd);
  CLI::App* list_cmd = app.add_subcommand("list", "print the registered datasets");
  ds::PowerlawOptions gen;
  gen.num_nodes = 100000;
  CLI::App* gen_cmd = app.add_subcommand("generate", "write a power-law dataset to a directory");
  gen_cmd->add_option("out-dir", out, "directory (graph.bin, features.npy, ...)")->required();
  gen_cmd->add_option("--nodes", gen.num_nodes, "number of nodes")->capture_default_str();
  gen_cmd->add_option("--avg-degree", gen.avg_degree, "average degree before merging duplicates")
      ->capture_default_str();
  gen_cmd->add_option("--features", gen.num_features, "features per node")->capture_default_str();
  gen_cmd->add_option("--classes", gen.num_classes, "number of classes")->capture_default_str();
  gen_cmd->add_option("--chunk-rows", gen.chunk_rows, "feature rows per chunk (0: 64 MiB)");
  gen_cmd->add_option("--seed", gen.seed, "random seed")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    options.download = !offline;
    if (gen_cmd->parsed()) {
      generate(gen, out);
      return 0;
    }
    if (data_dir.empty() && !list_cmd->parsed()) data_dir = ds::default_data_dir().string();
    if (list_cmd->parsed()) {
      for (const ds::DatasetInfo& d : ds::list_datasets())
        std::printf("%-18s %s\n", d.name.c_str(), d.description.c_str());
    } else if (info_cmd->parsed()) {
      info(name, data_dir, options);
    } else {
      convert(name, out, data_dir, options);
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
