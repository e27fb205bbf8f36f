// SPDX-License-Identifier: Apache-2.0
// SpMM sum through cuSPARSE: out = A · x with A in CSR and x, out row-major (CUSPARSE_ORDER_ROW, so
// no copies or transposes of the dense operands). cuSPARSE's CSR wants the offsets and the column
// ids in one index type; our column ids are int32 and our offsets int64, so each graph gets an
// int32 copy of row_ptr (hence the INT32_MAX limit on nnz). That copy, the sparse descriptor and
// the workspace size per feature width are built on first use and kept with the graph
// (Csr::backend_state), never keyed on data pointers, which the caching allocator hands out again.
//
// Determinism: the algorithm is CUSPARSE_SPMM_CSR_ALG2 with opA = NON_TRANSPOSE. The cuSPARSE
// reference for cusparseSpMM (read through its mirror on docs.rs, crate singe-cusparse-sys) warns
// that the (conjugate) transpose of A "may produce slightly different results during different
// runs", so the backward pass never asks cuSPARSE for Aᵀ: it runs this same non-transposed SpMM over
// the graph's cached transpose. That CSR_ALG2 itself is bit-wise deterministic and meant for
// row-major operands is what NVIDIA's cusparseSpMM algorithm table says, but that table could not
// be re-read when this was written: CudaSpmm.ForwardAndGradientAreBitIdenticalRunToRun checks it.
#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <cuda_runtime.h>
#include <cusparse.h>

#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "layers/ops/cuda/spmm.h"

namespace moegnn::ops::cuda {
namespace {

constexpr cusparseSpMMAlg_t kAlgorithm = CUSPARSE_SPMM_CSR_ALG2;

__global__ void narrow_offsets(long long count, const std::int64_t* in, std::int32_t* out) {
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
  for (long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
       i += stride)
    out[i] = static_cast<std::int32_t>(in[i]);
}

__global__ void gather(long long count, const float* in, const std::int64_t* order, float* out) {
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
  for (long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
       i += stride)
    out[i] = in[order[i]];
}

// What a graph keeps for cuSPARSE (see the file comment). The descriptor holds a values pointer
// that weighted calls replace, so a call sets it and enqueues its SpMM under `mutex`.
struct SpmmState {
  IndexArray32 row_ptr;           // int32 copy of the graph's offsets, on the device
  Tensor ones;                    // nnz × 1 of 1 when the graph has no values; empty otherwise
  const float* values = nullptr;  // the graph's values, or ones
  cusparseSpMatDescr_t descriptor = nullptr;
  std::mutex mutex;
  std::vector<std::pair<Index, std::size_t>> workspace_bytes;  // by feature width

  SpmmState() = default;
  SpmmState(const SpmmState&) = delete;
  SpmmState& operator=(const SpmmState&) = delete;
  ~SpmmState() {
    // Host-side bookkeeping only; nothing to report from a destructor.
    if (descriptor != nullptr) static_cast<void>(cusparseDestroySpMat(descriptor));
  }
};

const char kStateKey = 0;  // its address names the SpMM state among a graph's backend states

// Built once per graph by Csr::backend_state; nnz > 0 (callers return earlier otherwise).
std::shared_ptr<void> make_state(const graph::Csr& a) {
  MOEGNN_CHECK_AS(Unsupported, "spmm", a.num_edges() <= INT32_MAX, "the graph has ", a.num_edges(),
                  " edges vs at most INT32_MAX = ", INT32_MAX,
                  " for cuSPARSE's CSR with 32-bit column ids; split the graph or use Device::Cpu");
  MOEGNN_CHECK_AS(Unsupported, "spmm", a.num_rows() < INT32_MAX, "the graph has ", a.num_rows(),
                  " rows vs fewer than INT32_MAX = ", INT32_MAX, " for 32-bit CSR offsets");
  auto state = std::make_shared<SpmmState>();
  moegnn::cuda::Context& context = moegnn::cuda::current_context();
  const Index count = a.num_rows() + 1;
  state->row_ptr = IndexArray32(count, Device::Cuda);
  const moegnn::cuda::LaunchShape shape = moegnn::cuda::elementwise_launch(count);
  narrow_offsets<<<shape.blocks, shape.threads, 0, context.stream()>>>(count, a.row_ptr().data(),
                                                                       state->row_ptr.data());
  MOEGNN_CUDA_CHECK(cudaGetLastError());
  if (a.has_values()) {
    state->values = a.values().data();
  } else {
    state->ones = Tensor::ones(a.num_edges(), 1, Device::Cuda);
    state->values = state->ones.data();
  }
  // cuSPARSE reads A in SpMM and never writes it; the non-const descriptor is needed only so that
  // weighted calls can swap the values pointer (cusparseSpMatSetValues).
  MOEGNN_CUSPARSE_CHECK(cusparseCreateCsr(
      &state->descriptor, a.num_rows(), a.num_cols(), a.num_edges(), state->row_ptr.data(),
      const_cast<graph::NodeId*>(a.col_idx().data()), const_cast<float*>(state->values),
      CUSPARSE_INDEX_32I, CUSPARSE_INDEX_32I, CUSPARSE_INDEX_BASE_ZERO, CUDA_R_32F));
  return state;
}

// Row-major dense descriptors of x and out, destroyed on scope exit.
struct DenseOperands {
  cusparseConstDnMatDescr_t x = nullptr;
  cusparseDnMatDescr_t out = nullptr;

  DenseOperands(const Tensor& x_tensor, Tensor& out_tensor) {
    MOEGNN_CUSPARSE_CHECK(cusparseCreateConstDnMat(&x, x_tensor.rows(), x_tensor.cols(),
                                                   x_tensor.cols(), x_tensor.data(), CUDA_R_32F,
                                                   CUSPARSE_ORDER_ROW));
    const cusparseStatus_t status =
        cusparseCreateDnMat(&out, out_tensor.rows(), out_tensor.cols(), out_tensor.cols(),
                            out_tensor.data(), CUDA_R_32F, CUSPARSE_ORDER_ROW);
    if (status != CUSPARSE_STATUS_SUCCESS) static_cast<void>(cusparseDestroyDnMat(x));
    MOEGNN_CUSPARSE_CHECK(status);
  }
  DenseOperands(const DenseOperands&) = delete;
  DenseOperands& operator=(const DenseOperands&) = delete;
  ~DenseOperands() {
    static_cast<void>(cusparseDestroyDnMat(x));
    static_cast<void>(cusparseDestroyDnMat(out));
  }
};

}  // namespace

void spmm_sum(const graph::Csr& a, const float* weights, const Tensor& x, bool accumulate,
              Tensor& out) {
  moegnn::cuda::Context& context = moegnn::cuda::current_context();
  const Index width = x.cols();
  if (a.num_rows() == 0 || width == 0) return;
  if (a.num_edges() == 0) {  // every row is an empty sum; cuSPARSE is not asked about nnz = 0
    if (!accumulate)
      MOEGNN_CUDA_CHECK(cudaMemsetAsync(
          out.data(), 0, static_cast<std::size_t>(out.size()) * sizeof(float), context.stream()));
    return;
  }
  const auto state = std::static_pointer_cast<SpmmState>(a.backend_state(&kStateKey, &make_state));
  const DenseOperands dense(x, out);
  const float alpha = 1.0f;
  const float beta = accumulate ? 1.0f : 0.0f;
  cusparseHandle_t handle = context.cusparse();
  const std::lock_guard lock(state->mutex);
  MOEGNN_CUSPARSE_CHECK(cusparseSpMatSetValues(
      state->descriptor, const_cast<float*>(weights != nullptr ? weights : state->values)));
  // The workspace size depends on the shapes only; ask cuSPARSE once per width.
  std::size_t bytes = 0;
  bool known = false;
  for (const auto& [w, b] : state->workspace_bytes) {
    if (w == width) {
      bytes = b;
      known = true;
    }
  }
  if (!known) {
    MOEGNN_CUSPARSE_CHECK(cusparseSpMM_bufferSize(
        handle, CUSPARSE_OPERATION_NON_TRANSPOSE, CUSPARSE_OPERATION_NON_TRANSPOSE, &alpha,
        state->descriptor, dense.x, &beta, dense.out, CUDA_R_32F, kAlgorithm, &bytes));
    state->workspace_bytes.emplace_back(width, bytes);
  }
  MOEGNN_CUSPARSE_CHECK(cusparseSpMM(handle, CUSPARSE_OPERATION_NON_TRANSPOSE,
                                     CUSPARSE_OPERATION_NON_TRANSPOSE, &alpha, state->descriptor,
                                     dense.x, &beta, dense.out, CUDA_R_32F, kAlgorithm,
                                     context.workspace(bytes)));
}

Tensor gather_edge_weights(const Tensor& weights, const graph::EdgeIds& order) {
  Tensor out = Tensor::empty(order.size(), 1, Device::Cuda);
  const long long count = order.size();
  if (count == 0) return out;
  const moegnn::cuda::LaunchShape shape = moegnn::cuda::elementwise_launch(count);
  gather<<<shape.blocks, shape.threads, 0, moegnn::cuda::current_context().stream()>>>(
      count, weights.data(), order.data(), out.data());
  MOEGNN_CUDA_CHECK(cudaGetLastError());
  return out;
}

}  // namespace moegnn::ops::cuda
