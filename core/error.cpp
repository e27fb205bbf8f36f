// SPDX-License-Identifier: Apache-2.0
// Out-of-line part of core/error.h.
#include "core/error.h"

#include <cstdio>
#include <cstdlib>

namespace moegnn::detail {

void assert_failed(const char* condition, const char* file, int line) noexcept {
  std::fprintf(stderr, "moegnn: internal assertion failed: %s at %s:%d\n", condition, file, line);
  std::abort();
}

}  // namespace moegnn::detail
