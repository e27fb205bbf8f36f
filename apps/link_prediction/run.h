// SPDX-License-Identifier: Apache-2.0
// One link-prediction experiment: load the data, then per run draw the split, build and train the
// model (or score a heuristic), and collect the selected epoch's numbers; optionally print
// predictions of the last run's model.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "apps/link_prediction/options.h"
#include "models/training/repeat.h"

namespace moegnn::apps {

struct LinkExperiment {
  std::string dataset;
  Index num_nodes = 0;
  Index num_edges = 0;  // stored entries of the full graph
  Index num_parameters = 0;
  std::vector<training::FitResult> runs;
  training::RepeatResult summary;
  double seconds = 0.0;  // wall time of all runs
};

// Throws InvalidArgument / IoError for bad flags or data; passes training errors on.
LinkExperiment run_link_experiment(const LinkAppOptions& options, std::ostream& out,
                                   std::ostream& log);

}  // namespace moegnn::apps
