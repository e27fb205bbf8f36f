// SPDX-License-Identifier: Apache-2.0
// The checked-call macros of core/cuda/check.h: a failing status of each library becomes a
// CudaError naming the call, the status and the place; success passes. Status strings come from
// the libraries themselves, so these tests run without a GPU.
#include <string>

#include <gtest/gtest.h>

#include "core/cuda/check.h"

namespace moegnn {
namespace {

// The message of the CudaError that `fn` throws, or "" (with a failure) when it throws none.
template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const CudaError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no CudaError thrown";
  return "";
}

cudaError_t runtime_status(cudaError_t status) { return status; }
cublasStatus_t cublas_status(cublasStatus_t status) { return status; }
cusparseStatus_t cusparse_status(cusparseStatus_t status) { return status; }

TEST(CudaCheck, SuccessPassesForEveryLibrary) {
  EXPECT_NO_THROW(MOEGNN_CUDA_CHECK(runtime_status(cudaSuccess)));
  EXPECT_NO_THROW(MOEGNN_CUBLAS_CHECK(cublas_status(CUBLAS_STATUS_SUCCESS)));
  EXPECT_NO_THROW(MOEGNN_CUSPARSE_CHECK(cusparse_status(CUSPARSE_STATUS_SUCCESS)));
}

TEST(CudaCheck, RuntimeFailureNamesCallStatusAndPlace) {
  const std::string message =
      error_of([] { MOEGNN_CUDA_CHECK(runtime_status(cudaErrorInvalidValue)); });
  EXPECT_NE(message.find("runtime_status(cudaErrorInvalidValue)"), std::string::npos) << message;
  EXPECT_NE(message.find(": cudaErrorInvalidValue ("), std::string::npos) << message;
  EXPECT_NE(message.find("check_test.cpp:"), std::string::npos) << message;
}

TEST(CudaCheck, CublasFailureNamesTheStatus) {
  const std::string message =
      error_of([] { MOEGNN_CUBLAS_CHECK(cublas_status(CUBLAS_STATUS_INVALID_VALUE)); });
  EXPECT_NE(message.find("cublas_status(CUBLAS_STATUS_INVALID_VALUE)"), std::string::npos)
      << message;
  EXPECT_NE(message.find(": CUBLAS_STATUS_INVALID_VALUE ("), std::string::npos) << message;
}

TEST(CudaCheck, CusparseFailureNamesTheStatus) {
  const std::string message =
      error_of([] { MOEGNN_CUSPARSE_CHECK(cusparse_status(CUSPARSE_STATUS_NOT_SUPPORTED)); });
  EXPECT_NE(message.find(": CUSPARSE_STATUS_NOT_SUPPORTED ("), std::string::npos) << message;
}

}  // namespace
}  // namespace moegnn
