// SPDX-License-Identifier: Apache-2.0
// layers' CUDA kernels as the static library defines them in a CUDA build: each forwards into the
// table libmoegnn_cuda.so exports, loading the library on first use (core/cuda_backend.h; throws
// Unsupported with the reason when it cannot be loaded).
#include "core/cuda_backend.h"
#include "layers/ops/cuda/backend_table.h"

namespace moegnn::ops::cuda {
namespace {

const LayersTable& table() { return cuda_backend::table_of<LayersTable>(kLayersTable); }

}  // namespace

#define MOEGNN_CUDA_FUNCTION(ret, name, params, args) \
  ret name params { return table().name args; }
#include "layers/ops/cuda/backend.inc"
#undef MOEGNN_CUDA_FUNCTION

}  // namespace moegnn::ops::cuda
