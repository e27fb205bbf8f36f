// SPDX-License-Identifier: Apache-2.0
// Tensor basics: shapes, constructors and their errors, copy aliasing vs clone, reshape views,
// alignment, device checks.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/tensor.h"

namespace moegnn {
namespace {

bool mentions_cuda(std::string message) {
  std::transform(message.begin(), message.end(), message.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return message.find("cuda") != std::string::npos;
}

TEST(Tensor, DefaultIsEmptyOnCpu) {
  const Tensor t;
  EXPECT_EQ(t.rows(), 0);
  EXPECT_EQ(t.cols(), 0);
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.device(), Device::Cpu);
  EXPECT_EQ(t.dtype(), DType::Float32);
}

TEST(Tensor, ShapesAndFill) {
  const Tensor z = Tensor::zeros(3, 4);
  EXPECT_EQ(z.rows(), 3);
  EXPECT_EQ(z.cols(), 4);
  EXPECT_EQ(z.size(), 12);
  EXPECT_FALSE(z.empty());
  EXPECT_TRUE(std::all_of(z.data(), z.data() + 12, [](float v) { return v == 0.0f; }));
  const Tensor f = Tensor::full(2, 5, -1.5f);
  EXPECT_TRUE(std::all_of(f.data(), f.data() + 10, [](float v) { return v == -1.5f; }));
  EXPECT_EQ(Tensor::ones(1, 1).item(), 1.0f);
  EXPECT_EQ(Tensor::scalar(4.25f).item(), 4.25f);
  EXPECT_TRUE(Tensor::zeros(0, 7).empty());
  EXPECT_EQ(Tensor::zeros(0, 7).cols(), 7);
  EXPECT_EQ(z.shape_string(), "3 × 4 float32 on cpu");
}

TEST(Tensor, RejectsNegativeShapes) {
  EXPECT_THROW(Tensor::empty(-1, 2), InvalidArgument);
  EXPECT_THROW(Tensor::zeros(2, -3), InvalidArgument);
  EXPECT_THROW(Tensor::full(-1, -1, 0.0f), InvalidArgument);
}

TEST(Tensor, FromVectorAndRowsAreRowMajor) {
  const Tensor v = Tensor::from_vector(2, 3, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(v.host()(0, 2), 3.0f);
  EXPECT_EQ(v.host()(1, 0), 4.0f);
  const Tensor r = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  EXPECT_TRUE(std::equal(v.data(), v.data() + 6, r.data()));
  EXPECT_THROW(Tensor::from_vector(2, 3, {1, 2, 3}), InvalidArgument);
  EXPECT_THROW(Tensor::from_vector(-2, -3, {1, 2, 3, 4, 5, 6}), InvalidArgument);
  EXPECT_THROW(Tensor::from_rows({{1, 2}, {3}}), InvalidArgument);
  EXPECT_TRUE(Tensor::from_rows({}).empty());
}

TEST(Tensor, FromEigenConvertsColumnMajor) {
  Eigen::MatrixXf m(2, 2);  // column-major
  m << 1, 2, 3, 4;
  const Tensor t = Tensor::from(m);
  EXPECT_EQ(t.data()[1], 2.0f);  // row-major: (0, 1) follows (0, 0)
  EXPECT_EQ(t.data()[2], 3.0f);
}

TEST(Tensor, CopiesAliasAndClonesDoNot) {
  Tensor a = Tensor::zeros(2, 2);
  Tensor copy = a;  // NOLINT(performance-unnecessary-copy-initialization): aliasing is the point
  Tensor clone = a.clone();
  a.data()[3] = 7.0f;
  EXPECT_EQ(copy.data()[3], 7.0f);
  EXPECT_EQ(clone.data()[3], 0.0f);
  EXPECT_TRUE(copy.shares_storage_with(a));
  EXPECT_FALSE(clone.shares_storage_with(a));
  clone.fill(2.0f);
  EXPECT_EQ(a.data()[0], 0.0f);
}

TEST(Tensor, ReshapeIsAViewWithTheSameCount) {
  Tensor a = Tensor::from_rows({{1, 2, 3}, {4, 5, 6}});
  Tensor b = a.reshape(3, 2);
  EXPECT_EQ(b.rows(), 3);
  EXPECT_EQ(b.host()(1, 0), 3.0f);
  b.data()[0] = -1.0f;
  EXPECT_EQ(a.data()[0], -1.0f);
  EXPECT_THROW(a.reshape(4, 2), InvalidArgument);
  EXPECT_THROW(a.reshape(-2, -3), InvalidArgument);
}

TEST(Tensor, DataIs64ByteAligned) {
  for (Index n : {0, 1, 3, 17, 1000}) {
    const Tensor t = Tensor::empty(n, 3);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.data()) % kAlignment, 0U) << n;
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.clone().data()) % kAlignment, 0U) << n;
  }
}

TEST(Tensor, ItemNeedsOneElement) {
  EXPECT_THROW(Tensor::zeros(1, 2).item(), InvalidArgument);
  EXPECT_THROW(Tensor().item(), InvalidArgument);
}

TEST(Tensor, FromStorageViewsWithoutCopy) {
  auto storage = Storage::allocate(6 * sizeof(float), Device::Cpu);
  Tensor t = Tensor::from_storage(storage, 2, 3);
  t.fill(5.0f);
  EXPECT_EQ(static_cast<const float*>(storage->data())[5], 5.0f);
  EXPECT_THROW(Tensor::from_storage(storage, 3, 3), InvalidArgument);
  EXPECT_THROW(Tensor::from_storage(nullptr, 1, 1), InvalidArgument);
}

TEST(Tensor, ToCpuSharesStorage) {
  const Tensor a = Tensor::ones(2, 2);
  EXPECT_TRUE(a.to(Device::Cpu).shares_storage_with(a));
}

TEST(Tensor, CudaTensorsFailClearlyOrRefuseHost) {
  // CPU-only build: allocation throws Unsupported; CUDA build without a GPU: CudaError. Either way
  // the message names CUDA. With a GPU, the tensor exists and host() must refuse it.
  try {
    Tensor t = Tensor::zeros(2, 2, Device::Cuda);
    EXPECT_EQ(t.device(), Device::Cuda);
    EXPECT_THROW(t.host(), InvalidArgument);
    EXPECT_THROW(std::as_const(t).host(), InvalidArgument);
    EXPECT_EQ(t.to(Device::Cpu).host()(1, 1), 0.0f);
  } catch (const std::exception& e) {
    EXPECT_TRUE(mentions_cuda(e.what())) << e.what();
  }
}

}  // namespace
}  // namespace moegnn
