// SPDX-License-Identifier: Apache-2.0
// moegnn-link-prediction as a function (main() calls it; tests call it with their own arguments).
#pragma once

#include <ostream>

namespace moegnn::apps {

// Returns 0, or 1 after printing "error: ..." to `err`. --help prints to `out` and returns 0.
int link_prediction_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace moegnn::apps
