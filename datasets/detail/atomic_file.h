// SPDX-License-Identifier: Apache-2.0
// The datasets module's own name for AtomicFile (now public in datasets/atomic_file.h).
#pragma once

#include "datasets/atomic_file.h"

namespace moegnn::datasets::detail {

using datasets::AtomicFile;
using datasets::temporary_name;

}  // namespace moegnn::datasets::detail
