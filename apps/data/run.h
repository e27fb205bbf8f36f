// SPDX-License-Identifier: Apache-2.0
// moegnn-data's commands, each printing to stdout: info (sizes, splits, homophily of a registered
// dataset, a binary cache file or a generated directory), convert (the binary cache) and generate
// (a power-law dataset streamed to a directory).
#pragma once

#include <string>

#include "datasets/powerlaw.h"
#include "datasets/registry.h"

namespace moegnn::apps {

// Prints the text summary, or with `json` one JSON object (name, kind, sizes, splits, edge
// homophily). Throws InvalidArgument for an unknown name, IoError from the loaders.
void info(const std::string& name, const std::string& data_dir,
          const datasets::RegistryOptions& options, bool json = false);

// Writes <out> and <out>.graph; on failure removes whichever of them did not exist before. Throws
// Unsupported for a ratings dataset, and what the loaders and writers throw.
void convert(const std::string& name, const std::string& out, const std::string& data_dir,
             const datasets::RegistryOptions& options);

// Writes the dataset into `out`. Throws InvalidArgument for a directory that holds files (other
// than temporaries of an interrupted run, which write_powerlaw removes) unless `force`, and what
// write_powerlaw throws.
void generate(const datasets::PowerlawOptions& options, const std::string& out, bool force);

}  // namespace moegnn::apps
