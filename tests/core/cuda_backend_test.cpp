// SPDX-License-Identifier: Apache-2.0
// The CUDA backend boundary (core/cuda_backend.h): a CPU-only build says it has no backend; a CUDA
// build finds libmoegnn_cuda.so in its build tree and refuses tables it does not have or whose
// layout differs. No GPU is needed: loading the library and reading its tables never touches one.
#include "core/cuda_backend.h"

#include <gtest/gtest.h>

#include <exception>
#include <string>

#include "core/config.h"
#include "core/device.h"
#include "core/error.h"

namespace moegnn {
namespace {

// Throws Error whose message contains `needle`.
template <typename Error, typename F>
::testing::AssertionResult throws_with(F&& f, const std::string& needle) {
  try {
    f();
  } catch (const Error& e) {
    if (std::string(e.what()).find(needle) != std::string::npos)
      return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "message '" << e.what() << "' lacks '" << needle << "'";
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "another exception: " << e.what();
  }
  return ::testing::AssertionFailure() << "no exception";
}

TEST(CudaBackend, LoadsExactlyInCudaBuilds) {
  if constexpr (build::kWithCuda) {
    EXPECT_TRUE(cuda_backend::available()) << cuda_backend::reason();
    EXPECT_EQ(cuda_backend::reason(), "");
  } else {
    EXPECT_FALSE(cuda_backend::available());
    EXPECT_NE(cuda_backend::reason().find("MOEGNN_WITH_CUDA=OFF"), std::string::npos)
        << cuda_backend::reason();
    EXPECT_FALSE(device_available(Device::Cuda));
  }
}

TEST(CudaBackend, RefusesMissingAndMismatchedTables) {
  if constexpr (!build::kWithCuda) {
    EXPECT_TRUE(throws_with<Unsupported>(
        [] { cuda_backend::table("moegnn_cuda_runtime_table", 8); }, "MOEGNN_WITH_CUDA=OFF"));
    return;
  }
  EXPECT_TRUE(throws_with<Unsupported>([] { cuda_backend::table("moegnn_cuda_no_such_table", 8); },
                                       "has no moegnn_cuda_no_such_table"));
  EXPECT_TRUE(throws_with<Unsupported>([] { cuda_backend::table("moegnn_cuda_runtime_table", 1); },
                                       "another layout"));
}

}  // namespace
}  // namespace moegnn
