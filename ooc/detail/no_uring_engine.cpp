// SPDX-License-Identifier: Apache-2.0
// Built without liburing: no io_uring engine (make_io_engine falls back to the pread pool).
#include "ooc/detail/engines.h"

namespace moegnn::ooc::detail {

std::unique_ptr<IoEngine> make_uring_engine(int) { return nullptr; }

}  // namespace moegnn::ooc::detail
