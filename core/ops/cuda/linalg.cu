// SPDX-License-Identifier: Apache-2.0
// cuBLAS GEMM for ops::matmul on row-major data without copies. cuBLAS is column-major, and a
// row-major r × c matrix is, byte for byte, its c × r transpose in column-major order. So the
// row-major product C = op(A)·op(B) is computed as the column-major product Cᵀ = op(B)ᵀ·op(A)ᵀ:
// the operands swap places, each keeps its own transpose flag, and every leading dimension is the
// row-major column count. TF32 stays off unless cuda::set_allow_tf32(true).
#include <climits>

#include <cuda_runtime.h>

#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "core/ops/cuda/linalg.h"

namespace moegnn::ops::cuda {
namespace {

bool left_transposed(Transpose t) { return t == Transpose::Left || t == Transpose::Both; }
bool right_transposed(Transpose t) { return t == Transpose::Right || t == Transpose::Both; }

int as_int(Index value, const char* what) {
  MOEGNN_CHECK_AS(InvalidArgument, "matmul", value <= INT_MAX, what, " is ", value, " vs at most ",
                  INT_MAX, " for cuBLAS; split the product");
  return static_cast<int>(value);
}

}  // namespace

void matmul(const Tensor& a, const Tensor& b, Transpose transpose, Tensor& out, bool accumulate) {
  moegnn::cuda::Context& context = moegnn::cuda::current_context();
  const bool lt = left_transposed(transpose);
  const bool rt = right_transposed(transpose);
  const int m = as_int(out.rows(), "m");
  const int n = as_int(out.cols(), "n");
  const int k = as_int(lt ? a.rows() : a.cols(), "k");
  if (m == 0 || n == 0) return;
  if (k == 0) {  // an empty sum
    if (!accumulate)
      MOEGNN_CUDA_CHECK(cudaMemsetAsync(
          out.data(), 0, static_cast<std::size_t>(out.size()) * sizeof(float), context.stream()));
    return;
  }
  const float alpha = 1.0f;
  const float beta = accumulate ? 1.0f : 0.0f;
  // Cᵀ = op(B)ᵀ·op(A)ᵀ, n × m column-major (C row-major). Read column-major, each stored operand
  // is its own transpose, so it keeps the row-major call's flag and its leading dimension is its
  // row-major row length.
  MOEGNN_CUBLAS_CHECK(cublasSgemm(context.cublas(), rt ? CUBLAS_OP_T : CUBLAS_OP_N,
                                  lt ? CUBLAS_OP_T : CUBLAS_OP_N, n, m, k, &alpha, b.data(),
                                  as_int(b.cols(), "b's row length"), a.data(),
                                  as_int(a.cols(), "a's row length"), &beta, out.data(), n));
}

}  // namespace moegnn::ops::cuda
