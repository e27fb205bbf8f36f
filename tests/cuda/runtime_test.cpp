// SPDX-License-Identifier: Apache-2.0
// The CUDA runtime layer: size rounding and block reuse of the caching allocator, its statistics
// and empty_cache, Storage on top of it, pinned host buffers, tensor round trips between the
// devices, and the error a CUDA request gives on a machine without a device.
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "core/cuda/allocator.h"
#include "core/error.h"
#include "tests/cuda/cuda_test_util.h"

namespace moegnn {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

TEST(CudaAllocator, RoundsToSmallAndLargeGranules) {  // pure arithmetic: runs without a GPU
  using cuda::allocator::round_size;
  EXPECT_EQ(round_size(0), 512U);
  EXPECT_EQ(round_size(1), 512U);
  EXPECT_EQ(round_size(512), 512U);
  EXPECT_EQ(round_size(513), 1024U);
  EXPECT_EQ(round_size(kMiB - 1), kMiB);  // 2048 granules of 512 B
  EXPECT_EQ(round_size(kMiB), 2 * kMiB);
  EXPECT_EQ(round_size(2 * kMiB), 2 * kMiB);
  EXPECT_EQ(round_size(2 * kMiB + 1), 4 * kMiB);
  EXPECT_EQ(round_size(7 * kMiB), 8 * kMiB);
}

TEST(CudaAllocator, NoDeviceGivesCudaErrorNamingTheCall) {
  if (cuda::device_count() > 0) GTEST_SKIP() << "a CUDA device is present; nothing to refuse";
  try {
    (void)Tensor::empty(2, 2, Device::Cuda);
    ADD_FAILURE() << "allocating on CUDA without a device did not throw";
  } catch (const CudaError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("cuda"), std::string::npos) << message;  // names the runtime call
    EXPECT_NE(message.find(" at "), std::string::npos) << message;  // and where it was made
  }
}

class CudaAllocatorOnDevice : public ::testing::Test {
 protected:
  void SetUp() override {
    MOEGNN_REQUIRE_CUDA_DEVICE();
    cuda::synchronize();
    cuda::allocator::empty_cache();
  }
  void TearDown() override {
    if (cuda::device_count() > 0) cuda::allocator::empty_cache();
  }
};

TEST_F(CudaAllocatorOnDevice, ReleasedBlockIsHandedOutAgain) {
  const cuda::AllocatorStats before = cuda::allocator::stats();
  const cuda::Block a = cuda::allocator::acquire(3000);
  ASSERT_NE(a.data, nullptr);
  EXPECT_EQ(a.capacity, 3072U);
  EXPECT_EQ(cuda::allocator::stats().misses, before.misses + 1);
  EXPECT_EQ(cuda::allocator::stats().allocated_bytes, before.allocated_bytes + 3072);
  cuda::allocator::release(a);
  EXPECT_EQ(cuda::allocator::stats().cached_bytes, 3072U);
  const cuda::Block b = cuda::allocator::acquire(2600);  // rounds to 3072 too
  EXPECT_EQ(b.data, a.data);
  EXPECT_EQ(cuda::allocator::stats().hits, before.hits + 1);
  EXPECT_EQ(cuda::allocator::stats().cached_bytes, 0U);
  cuda::allocator::release(b);
}

TEST_F(CudaAllocatorOnDevice, BlockFarLargerThanTheRequestIsNotReused) {
  const cuda::Block big = cuda::allocator::acquire(64 * kMiB);
  cuda::allocator::release(big);
  const cuda::Block small = cuda::allocator::acquire(4 * kMiB);  // would waste 60 MiB
  EXPECT_NE(small.data, big.data);
  EXPECT_EQ(cuda::allocator::stats().cached_bytes, 64 * kMiB);
  cuda::allocator::release(small);
}

TEST_F(CudaAllocatorOnDevice, EmptyCacheFreesEveryCachedBlock) {
  cuda::allocator::release(cuda::allocator::acquire(kMiB));
  cuda::allocator::release(cuda::allocator::acquire(100));
  ASSERT_GT(cuda::allocator::stats().cached_bytes, 0U);
  const std::size_t frees = cuda::allocator::stats().frees;
  cuda::allocator::empty_cache();
  EXPECT_EQ(cuda::allocator::stats().cached_bytes, 0U);
  EXPECT_EQ(cuda::allocator::stats().frees, frees + 2);
}

TEST_F(CudaAllocatorOnDevice, TensorsReuseTheMemoryOfFreedTensors) {
  const void* first = nullptr;
  {
    const Tensor t = Tensor::empty(300, 200, Device::Cuda);
    first = t.data();
  }
  const std::size_t hits = cuda::allocator::stats().hits;
  const Tensor again = Tensor::empty(300, 200, Device::Cuda);
  EXPECT_EQ(again.data(), first);
  EXPECT_EQ(cuda::allocator::stats().hits, hits + 1);
}

TEST(CudaTransfer, RoundTripIsExact) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  for (const Index rows : {0, 1, 37, 1024}) {
    const Tensor host = support::random_tensor(rows, 19, 7);
    const Tensor device = host.to(Device::Cuda);
    EXPECT_EQ(device.device(), Device::Cuda);
    const Tensor copy = device.clone();  // device to device
    const Tensor back = copy.to(Device::Cpu);
    ASSERT_TRUE(back.same_shape(host));
    EXPECT_EQ(std::memcmp(back.data(), host.data(), static_cast<std::size_t>(host.size()) * 4), 0)
        << rows << " rows";
  }
}

TEST(CudaTransfer, FillAndItemOnTheDevice) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  Tensor t = Tensor::zeros(3, 4, Device::Cuda);
  t.fill(2.5f);
  EXPECT_TRUE(support::all_close(t.to(Device::Cpu), Tensor::full(3, 4, 2.5f), 0.0f, 0.0f));
  EXPECT_EQ(Tensor::full(1, 1, -4.0f, Device::Cuda).item(), -4.0f);
}

TEST(CudaPinned, PinnedBufferFeedsCopiesBothWays) {
  MOEGNN_REQUIRE_CUDA_DEVICE();
  constexpr std::size_t kCount = 1 << 16;
  auto* pinned = static_cast<float*>(cuda::allocate_pinned(kCount * sizeof(float)));
  ASSERT_NE(pinned, nullptr);
  for (std::size_t i = 0; i < kCount; ++i) pinned[i] = static_cast<float>(i) * 0.5f;
  Tensor device = Tensor::empty(1, kCount, Device::Cuda);
  cuda::copy(device.data(), pinned, kCount * sizeof(float), cuda::CopyKind::HostToDevice);
  std::memset(pinned, 0, kCount * sizeof(float));
  cuda::copy(pinned, device.data(), kCount * sizeof(float), cuda::CopyKind::DeviceToHost);
  bool same = true;
  for (std::size_t i = 0; i < kCount; ++i) same = same && pinned[i] == static_cast<float>(i) * 0.5f;
  EXPECT_TRUE(same);
  cuda::free_pinned(pinned);
}

}  // namespace
}  // namespace moegnn
