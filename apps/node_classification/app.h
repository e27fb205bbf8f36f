// SPDX-License-Identifier: Apache-2.0
// moegnn-node-classification as a function: parse the flags, run the experiment, print the table
// and write --out. main() is this call; tests call it with their own arguments (and with models
// they register first, whose options become flags like the built-in ones').
#pragma once

#include <ostream>

namespace moegnn::apps {

// Returns the exit status: 0, or 1 after printing "error: ..." to `err` (bad flags, bad data, a
// failed run). --help and --version print to `out` and return 0.
int node_classification_main(int argc, const char* const* argv, std::ostream& out,
                             std::ostream& err);

}  // namespace moegnn::apps
