// SPDX-License-Identifier: Apache-2.0
// The tables libmoegnn_cuda.so exports for core (core/cuda_backend.h): with layers' table, the
// only symbols the library makes visible (cmake/moegnn_cuda_backend.map). Each returns its table
// when the caller's table size matches the one compiled here, else nullptr.
#include "core/cuda/backend_tables.h"

namespace moegnn::cuda {
namespace {
const void* runtime_table(std::size_t table_size) {
  static const RuntimeTable table{&device_count,         &copy,
                                  &synchronize,          &allocate_pinned,
                                  &free_pinned,          &set_allow_tf32,
                                  &allow_tf32,           &allocator::round_size,
                                  &allocator::acquire,   &allocator::release,
                                  &allocator::empty_cache, &allocator::stats};
  return table_size == sizeof(table) ? &table : nullptr;
}
}  // namespace
}  // namespace moegnn::cuda

namespace moegnn::ops::cuda {
namespace {
const void* core_ops_table(std::size_t table_size) {
  static const CoreOpsTable table{
#define MOEGNN_CUDA_FUNCTION(ret, name, params, args) static_cast<ret(*) params>(&name),
#include "core/ops/cuda/backend.inc"
#undef MOEGNN_CUDA_FUNCTION
  };
  return table_size == sizeof(table) ? &table : nullptr;
}
}  // namespace
}  // namespace moegnn::ops::cuda

namespace moegnn::optim::cuda {
namespace {
const void* optim_table(std::size_t table_size) {
  static const OptimTable table{
#define MOEGNN_CUDA_FUNCTION(ret, name, params, args) static_cast<ret(*) params>(&name),
#include "core/optim/cuda/backend.inc"
#undef MOEGNN_CUDA_FUNCTION
  };
  return table_size == sizeof(table) ? &table : nullptr;
}
}  // namespace
}  // namespace moegnn::optim::cuda

extern "C" __attribute__((visibility("default"))) const void* moegnn_cuda_runtime_table(
    std::size_t table_size) {
  return moegnn::cuda::runtime_table(table_size);
}
extern "C" __attribute__((visibility("default"))) const void* moegnn_cuda_core_ops_table(
    std::size_t table_size) {
  return moegnn::ops::cuda::core_ops_table(table_size);
}
extern "C" __attribute__((visibility("default"))) const void* moegnn_cuda_optim_table(
    std::size_t table_size) {
  return moegnn::optim::cuda::optim_table(table_size);
}
