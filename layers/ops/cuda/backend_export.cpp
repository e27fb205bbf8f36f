// SPDX-License-Identifier: Apache-2.0
// The table libmoegnn_cuda.so exports for layers (core/cuda_backend.h): returned when the caller's
// table size matches the one compiled here, else nullptr.
#include "layers/ops/cuda/backend_table.h"

namespace moegnn::ops::cuda {
namespace {
const void* layers_table(std::size_t table_size) {
  static const LayersTable table{
#define MOEGNN_CUDA_FUNCTION(ret, name, params, args) static_cast<ret(*) params>(&name),
#include "layers/ops/cuda/backend.inc"
#undef MOEGNN_CUDA_FUNCTION
  };
  return table_size == sizeof(table) ? &table : nullptr;
}
}  // namespace
}  // namespace moegnn::ops::cuda

extern "C" __attribute__((visibility("default"))) const void* moegnn_cuda_layers_table(
    std::size_t table_size) {
  return moegnn::ops::cuda::layers_table(table_size);
}
