// SPDX-License-Identifier: Apache-2.0
// Shared fixtures of the out-of-core tests: a temporary folder and a small generated dataset on
// disk (power-law graph, features.npy) with its in-memory twin.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "datasets/powerlaw.h"

namespace moegnn::ooc::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "moegnn_ooc_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code error;
    std::filesystem::remove_all(path_, error);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// 37 features: 148-byte rows, so rows straddle 4 KiB blocks and the table ends mid-block.
inline datasets::PowerlawOptions small_graph(Index nodes = 3000, Index features = 37) {
  datasets::PowerlawOptions o;
  o.num_nodes = nodes;
  o.num_features = features;
  o.num_classes = 4;
  o.avg_degree = 8;
  o.feature_signal = 3.0;
  o.seed = 5;
  return o;
}

}  // namespace moegnn::ooc::testing
