// SPDX-License-Identifier: Apache-2.0
// Pieces shared by the OGB node and link loaders (private): the node count file, the optional
// feature file and the split folder lookup.
#pragma once

#include <filesystem>
#include <string>

#include "core/tensor.h"

namespace moegnn::datasets::detail {

// raw/num-node-list.csv.gz of `dir`: the single graph's node count. Throws IoError.
Index ogb_num_nodes(const std::filesystem::path& dir);

// raw/node-feat.csv.gz as num_nodes × F, or a num_nodes × 0 tensor when the file is absent.
// Throws IoError when its row count differs from num_nodes.
Tensor ogb_features(const std::filesystem::path& dir, Index num_nodes);

// dir/split/<requested>, or the only folder under dir/split when `requested` is empty. Throws
// IoError when it is missing or ambiguous (listing the choices).
std::filesystem::path ogb_split_dir(const std::filesystem::path& dir, const std::string& requested);

}  // namespace moegnn::datasets::detail
