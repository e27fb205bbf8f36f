// SPDX-License-Identifier: Apache-2.0
// moegnn-gmope as a function (main() is this call; tests call it in-process).
#pragma once

#include <ostream>

namespace moegnn::apps {

// Returns 0, or 1 after printing "error: ..." to `err`. --help and --version print to `out`.
int gmope_main(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace moegnn::apps
