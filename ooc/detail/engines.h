// SPDX-License-Identifier: Apache-2.0
// The two IoEngine implementations (private). make_uring_engine returns null when the build has no
// liburing (detail/no_uring_engine.cpp) or the kernel refuses io_uring.
#pragma once

#include <memory>

#include "ooc/direct_io.h"

namespace moegnn::ooc::detail {

std::unique_ptr<IoEngine> make_pread_engine(int threads);
std::unique_ptr<IoEngine> make_uring_engine(int depth);
// Checks one completed read: throws IoError for an error or fewer than `needed` bytes.
void check_read(const ReadRequest& r, long long result);

}  // namespace moegnn::ooc::detail
