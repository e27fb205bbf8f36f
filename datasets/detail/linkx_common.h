// SPDX-License-Identifier: Apache-2.0
// Pieces shared by the LINKX loaders (private): LINKX's -1-means-missing labels and the fixed
// split files (defined in linkx.cpp, used by linkx_twitch.cpp too).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "datasets/linkx.h"

namespace moegnn::datasets::detail {

// Labels (-1 = missing) into out.data (missing -> 0) and out.unlabeled; sets num_classes.
// Throws IoError naming `source` for labels below -1 or when no node is labeled.
void set_linkx_labels(LinkxDataset& out, const std::vector<std::int64_t>& raw,
                      const std::string& source);

// Reads `splits_file` into out.data.splits (split 0 becomes the default), checking that no split
// holds an unlabeled node. A missing file throws IoError when options.require_splits.
void attach_linkx_splits(LinkxDataset& out, const std::filesystem::path& splits_file,
                         const LinkxOptions& options);

}  // namespace moegnn::datasets::detail
