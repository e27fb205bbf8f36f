// SPDX-License-Identifier: Apache-2.0
// --search grid|random: model selection as a feature of the app. A search space (--search-space
// FILE.json: {"flag-name": [values...]} for a grid or random draws, or {"flag-name": {"min": a,
// "max": b, "log": true, "int": false}} ranges for random draws) names any flag of the program:
// learning rate, weight decay, dropout, hidden, layers, --normalize-features, the model's own
// options. Each point trains every run of the command line (its splits and seeds) and is scored
// by the mean validation metric over them; the points run concurrently within --threads. The best
// point (ties: the earlier) is reported with its test metric, which chooses nothing; the whole
// search goes to --out.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "apps/node_classification/options.h"

namespace moegnn::apps {

// Runs the search that `options` asks for; `args` is the command line as given (program name
// first, the --preset config already added), from which each point's options are parsed with the
// point's flags appended. Writes the table to `out` and, with --out, the JSON file. Throws
// InvalidArgument for a malformed space (naming the key), a searched flag also given on the
// command line, an unknown flag, and a grid of more than 10,000 points.
void run_search(const std::vector<std::string>& args, const AppOptions& options,
                std::ostream& out, std::ostream& err);

}  // namespace moegnn::apps
