// SPDX-License-Identifier: Apache-2.0
// IndexArray: construction from CPU data, spans and vectors, aliasing vs clone, storage views,
// errors.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/index_array.h"

namespace moegnn {
namespace {

TEST(IndexArray, BuildsFromVectorsSpansAndLists) {
  const std::vector<std::int64_t> values{5, -1, 7};
  const IndexArray64 a(values);
  EXPECT_EQ(a.size(), 3);
  EXPECT_EQ(a.to_vector(), values);
  const IndexArray32 b{1, 2, 3, 4};
  EXPECT_EQ(b.size(), 4);
  EXPECT_EQ(b[2], 3);
  const std::int32_t raw[] = {9, 8};
  const IndexArray32 c(std::span<const std::int32_t>(raw, 2));
  EXPECT_EQ(c.to_vector(), (std::vector<std::int32_t>{9, 8}));
  EXPECT_TRUE(IndexArray32().empty());
  EXPECT_EQ(IndexArray32::dtype(), DType::Int32);
  EXPECT_EQ(IndexArray64::dtype(), DType::Int64);
}

TEST(IndexArray, HostSpanCoversTheArray) {
  IndexArray32 a(5);
  std::span<std::int32_t> h = a.host();
  EXPECT_EQ(h.size(), 5U);
  for (std::size_t i = 0; i < h.size(); ++i) h[i] = static_cast<std::int32_t>(i * i);
  EXPECT_EQ(a[4], 16);
  EXPECT_EQ(a.device(), Device::Cpu);
}

TEST(IndexArray, CopiesAliasAndClonesDoNot) {
  IndexArray64 a{1, 2, 3};
  IndexArray64 copy =
      a;  // NOLINT(performance-unnecessary-copy-initialization): aliasing is the point
  IndexArray64 clone = a.clone();
  a.host()[0] = 42;
  EXPECT_EQ(copy[0], 42);
  EXPECT_EQ(clone[0], 1);
  EXPECT_EQ(a.to(Device::Cpu).data(), a.data());
}

TEST(IndexArray, ViewsStorageAndRejectsBadSizes) {
  auto storage = Storage::allocate(4 * sizeof(std::int32_t), Device::Cpu);
  IndexArray32 view(storage, 4);
  view.host()[3] = 11;
  EXPECT_EQ(static_cast<const std::int32_t*>(storage->data())[3], 11);
  EXPECT_THROW(IndexArray32(storage, 5), InvalidArgument);
  EXPECT_THROW(IndexArray32(nullptr, 0), InvalidArgument);
  EXPECT_THROW(IndexArray64(-1), InvalidArgument);
}

TEST(IndexArray, CudaArraysFailClearlyOrRefuseHost) {
  try {
    IndexArray32 a(3, Device::Cuda);
    EXPECT_THROW(a.host(), InvalidArgument);
  } catch (const std::exception& e) {
    const std::string message = e.what();
    EXPECT_TRUE(message.find("CUDA") != std::string::npos ||
                message.find("cuda") != std::string::npos)
        << message;
  }
}

}  // namespace
}  // namespace moegnn
