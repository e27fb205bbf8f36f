// SPDX-License-Identifier: Apache-2.0
// OGB layout helpers (see ogb_common.h).
#include "datasets/detail/ogb_common.h"

#include <algorithm>
#include <vector>

#include "core/error.h"
#include "datasets/data_dir.h"
#include "datasets/io/csv.h"

namespace moegnn::datasets::detail {

Index ogb_num_nodes(const std::filesystem::path& dir) {
  const std::filesystem::path path = dir / "raw" / "num-node-list.csv.gz";
  require_file(path, "load_ogb", "OGB file");
  const io::Int64Table t = io::read_csv_int64(path, {.num_cols = 1});
  MOEGNN_CHECK_AS(IoError, "load_ogb",
                  t.rows == 1 && t.values[0] >= 0 &&
                          t.values[0]<(std::int64_t{1} << 31), path.string(), ": ", t.rows,
                                      " graphs with ", t.rows> 0
                      ? t.values[0]
                      : 0,
                  " nodes vs one graph with < 2^31 nodes");
  return t.values[0];
}

Tensor ogb_features(const std::filesystem::path& dir, Index num_nodes) {
  const std::filesystem::path path = dir / "raw" / "node-feat.csv.gz";
  if (!std::filesystem::exists(path)) return Tensor::zeros(num_nodes, 0);
  Tensor x = io::read_csv_float(path);
  MOEGNN_CHECK_AS(IoError, "load_ogb", x.rows() == num_nodes, path.string(), ": ", x.rows(),
                  " feature rows vs ", num_nodes, " nodes in raw/num-node-list.csv.gz");
  return x;
}

std::filesystem::path ogb_split_dir(const std::filesystem::path& dir,
                                    const std::string& requested) {
  const std::filesystem::path root = dir / "split";
  if (!requested.empty()) {
    MOEGNN_CHECK_AS(IoError, "load_ogb", std::filesystem::is_directory(root / requested),
                    (root / requested).string(), ": no such split folder vs an existing one");
    return root / requested;
  }
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(root, error))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  std::string listed;
  for (const std::string& n : names) listed += (listed.empty() ? "" : ", ") + n;
  MOEGNN_CHECK_AS(IoError, "load_ogb", names.size() == 1, root.string(), ": ", names.size(),
                  " split folders (", listed, ") vs exactly one; choose one with split_type");
  return root / names.front();
}

}  // namespace moegnn::datasets::detail
