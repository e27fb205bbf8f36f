// SPDX-License-Identifier: Apache-2.0
// Placeholder translation unit until dist/part.h's implementation lands (issue 22).
#include "dist/part.h"
