// SPDX-License-Identifier: Apache-2.0
// moegnn-data partition: splits a node dataset into P parts (METIS or random, dist/partition.h),
// prints the edge cut, halo volume and per-part balance, and with an output directory writes the
// part directories and their manifest (dist/part.h).
#pragma once

#include <cstdint>
#include <string>

#include "datasets/registry.h"
#include "dist/partition.h"

namespace moegnn::apps {

struct PartitionCommand {
  std::string dataset{};  // empty: a generated CSBM graph of `nodes` nodes
  std::string data_dir{};
  datasets::RegistryOptions registry{};
  Index nodes = 20000;
  dist::PartitionOptions options{.num_parts = 4};
  std::string out{};  // empty: report only, write nothing
  bool json = false;  // one JSON object on stdout instead of the text
};

// Loads the dataset, partitions it, prints the report, writes the parts when `out` is set.
// Throws what the loaders, partition_nodes and write_parts throw.
void partition(const PartitionCommand& command);

// The command-line spelling of a method ("metis", "random").
const char* method_name(dist::PartitionMethod method);

}  // namespace moegnn::apps
