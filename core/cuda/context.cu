// SPDX-License-Identifier: Apache-2.0
// Lazy per-device contexts: one per device id, created under a mutex and never freed.
#include <algorithm>
#include <memory>
#include <vector>

#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "core/cuda/runtime.h"

namespace moegnn::cuda {
namespace {

struct Registry {
  std::mutex mutex;
  std::vector<Context*> contexts;  // by device id; leaked on purpose (see context.h)
};

Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

}  // namespace

Context::Context(int device) : device_(device) {
  MOEGNN_CUDA_CHECK(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
}

cublasHandle_t Context::cublas() {
  std::call_once(cublas_once_, [this] {
    MOEGNN_CUBLAS_CHECK(cublasCreate(&cublas_));
    MOEGNN_CUBLAS_CHECK(cublasSetStream(cublas_, stream_));
    MOEGNN_CUBLAS_CHECK(cublasSetPointerMode(cublas_, CUBLAS_POINTER_MODE_HOST));
  });
  // CUBLAS_DEFAULT_MATH keeps float32 products in float32 (no TF32); see set_allow_tf32.
  MOEGNN_CUBLAS_CHECK(
      cublasSetMathMode(cublas_, allow_tf32() ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
  return cublas_;
}

cusparseHandle_t Context::cusparse() {
  std::call_once(cusparse_once_, [this] {
    MOEGNN_CUSPARSE_CHECK(cusparseCreate(&cusparse_));
    MOEGNN_CUSPARSE_CHECK(cusparseSetStream(cusparse_, stream_));
  });
  return cusparse_;
}

void* Context::workspace(std::size_t bytes) {
  const std::lock_guard lock(workspace_mutex_);
  if (workspace_.data == nullptr || workspace_.capacity < bytes) {
    allocator::release(workspace_);
    workspace_ = Block{};
    workspace_ = allocator::acquire(bytes);
  }
  return workspace_.data;
}

Context& current_context() {
  int device = 0;
  MOEGNN_CUDA_CHECK(cudaGetDevice(&device));
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  if (r.contexts.size() <= static_cast<std::size_t>(device))
    r.contexts.resize(static_cast<std::size_t>(device) + 1, nullptr);
  Context*& context = r.contexts[static_cast<std::size_t>(device)];
  if (context == nullptr) context = new Context(device);
  return *context;
}

LaunchShape elementwise_launch(long long count) noexcept {
  constexpr long long kThreads = 256;
  constexpr long long kMaxBlocks = 65535LL * 8;  // grid-stride loops cover larger tensors
  const long long blocks = std::min((count + kThreads - 1) / kThreads, kMaxBlocks);
  return {static_cast<unsigned>(std::max(blocks, 1LL)), static_cast<unsigned>(kThreads)};
}

}  // namespace moegnn::cuda
