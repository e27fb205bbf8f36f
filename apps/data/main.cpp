// SPDX-License-Identifier: Apache-2.0
// moegnn-data: inspects and converts datasets. `info <dataset>` loads a registered dataset (or a
// binary cache file written by `convert`) from the data directory, downloading it when missing,
// and prints its sizes, split sizes (every published split) and edge homophily; `convert
// <dataset> <out-file>` writes the binary cache (<out-file> and <out-file>.graph); `list` prints
// the registered names; `generate <out-dir>` writes a power-law dataset (datasets/powerlaw.h) with
// its features streamed to disk, which `info <out-dir>` then reads; `partition [dataset] --parts P
// --method metis|random [--out DIR]` splits a node dataset for distributed training (a generated
// CSBM graph without a dataset), reports cut, halo and balance, and writes the part directories.
// Errors print `error: ...` and exit with status 1.
#include <cstdio>
#include <exception>
#include <iostream>
#include <map>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "apps/build_info.h"
#include "apps/cli/validators.h"
#include "apps/data/partition.h"
#include "apps/data/run.h"
#include "datasets/data_dir.h"
#include "datasets/powerlaw.h"
#include "datasets/registry.h"

namespace ds = moegnn::datasets;

int main(int argc, char** argv) {
  CLI::App app{"Inspect, download and convert moegnn datasets."};
  app.set_version_flag("--version", moegnn::apps::version_text("moegnn-data"));
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
  bool json = false;
  info_cmd->add_flag("--json", json, "print one JSON object instead of the text");
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
  bool force = false;
  gen_cmd->add_flag("--force", force, "write into a directory that already holds files");
  moegnn::apps::PartitionCommand part;
  CLI::App* part_cmd =
      app.add_subcommand("partition", "split a node dataset into parts for distributed training");
  part_cmd->add_option("dataset", part.dataset,
                       "registered name, cache file or generated directory (default: a generated "
                       "CSBM graph with 16 communities)");
  common(part_cmd);
  part_cmd->add_option("--nodes", part.nodes, "nodes of the generated graph (no dataset given)")
      ->check(CLI::Range(16, 100000000))->capture_default_str();
  part_cmd->add_option("--parts", part.options.num_parts, "number of parts (one per rank)")
      ->check(moegnn::apps::at_least_one())->capture_default_str();
  const std::map<std::string, moegnn::dist::PartitionMethod> methods{
      {"metis", moegnn::dist::PartitionMethod::Metis},
      {"random", moegnn::dist::PartitionMethod::Random}};
  part_cmd->add_option("--method", part.options.method, "metis (min edge cut) or random")
      ->transform(moegnn::apps::one_of(methods))
      ->option_text("metis|random (default metis)");
  part_cmd->add_option("--seed", part.options.seed, "seed of METIS / of the random assignment")
      ->capture_default_str();
  bool no_balance_train = false;
  part_cmd->add_flag("--no-balance-train", no_balance_train,
                     "METIS: balance nodes only, not training nodes too");
  part_cmd->add_option("--out", part.out,
                       "directory for part-<k>/ and manifest.json (default: report only)");
  part_cmd->add_flag("--json", part.json, "print one JSON object instead of the text");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    options.download = !offline;
    if (gen_cmd->parsed()) {
      moegnn::apps::generate(gen, out, force);
      return 0;
    }
    if (data_dir.empty() && !list_cmd->parsed()) data_dir = ds::default_data_dir().string();
    if (part_cmd->parsed()) {
      part.data_dir = data_dir;
      part.registry = options;
      part.options.balance_train = !no_balance_train;
      moegnn::apps::partition(part);
      return 0;
    }
    if (list_cmd->parsed()) {
      for (const ds::DatasetInfo& d : ds::list_datasets())
        fmt::print("{:<18} {}\n", d.name, d.description);
    } else if (info_cmd->parsed()) {
      moegnn::apps::info(name, data_dir, options, json);
    } else {
      moegnn::apps::convert(name, out, data_dir, options);
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
