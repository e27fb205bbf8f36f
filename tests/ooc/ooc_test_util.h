// SPDX-License-Identifier: Apache-2.0
// Shared fixtures of the out-of-core tests: a temporary folder and a small generated dataset on
// disk (power-law graph, features.npy) with its in-memory twin.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "datasets/powerlaw.h"
#include "tests/support/temp_dir.h"

namespace moegnn::ooc::testing {

using moegnn::testing::TempDir;

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
