// SPDX-License-Identifier: Apache-2.0
// The table of message-passing kernels that libmoegnn_cuda.so exports for layers
// (core/cuda_backend.h), from layers/ops/cuda/backend.inc. Plain C++: included by the forwarders
// in the static library and by the export in the backend.
#pragma once

#include <cstddef>

#include "layers/ops/cuda/edge.h"
#include "layers/ops/cuda/segment.h"
#include "layers/ops/cuda/spmm.h"
#include "layers/ops/cuda/spmm_rows.h"

namespace moegnn::ops::cuda {

struct LayersTable {
#define MOEGNN_CUDA_FUNCTION(ret, name, params, args) ret(*name) params;
#include "layers/ops/cuda/backend.inc"
#undef MOEGNN_CUDA_FUNCTION
};
inline constexpr const char* kLayersTable = "moegnn_cuda_layers_table";

}  // namespace moegnn::ops::cuda
