// SPDX-License-Identifier: Apache-2.0
// The flags of moegnn-mowst-experiments.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/types.h"

namespace moegnn::apps {

struct ExperimentOptions {
  std::string data_dir;  // empty: $MOEGNN_DATA_DIR, else the default data directory
  Index runs = 10;       // runs (splits) per dataset
  Index epochs = 300;    // per training, pretraining and turn budget
  bool grid = false;     // choose each model's setting from a small grid on validation
  int threads = 0;       // 0: all cores
  std::vector<std::string> datasets;
};

// Defines every flag on `app`, bound to `options`.
void add_flags(CLI::App& app, ExperimentOptions& options);

}  // namespace moegnn::apps
