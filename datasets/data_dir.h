// SPDX-License-Identifier: Apache-2.0
// Where datasets live on disk: MOEGNN_DATA_DIR when set, else ~/.cache/moegnn. Each dataset is a
// folder below it named as in the registry (datasets/registry.h), laid out as its original
// release (cora/ind.cora.x, ogbl-ddi/raw/edge.csv.gz, ...), so a folder of original files can be
// pointed at directly (tests use ../shared/datasets).
#pragma once

#include <filesystem>

namespace moegnn::datasets {

// $MOEGNN_DATA_DIR if set and non-empty, else $HOME/.cache/moegnn. Throws IoError when neither
// MOEGNN_DATA_DIR nor HOME is set. Does not create the folder.
std::filesystem::path default_data_dir();

// Throws IoError naming `path` (and `what`, e.g. "Planetoid file") when it is not a regular file.
// Loaders call this first so a missing file reads "... : no such file: <path>", a directory
// "... is a directory ..." and a device or FIFO "... is not a regular file ...".
void require_file(const std::filesystem::path& path, const char* function, const char* what);

}  // namespace moegnn::datasets
