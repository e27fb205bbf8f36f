// SPDX-License-Identifier: Apache-2.0
// The host buffer cache: reuse of freed buffers, the waste bound, the byte limit, and Storage on top.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include <gtest/gtest.h>

#include "core/host_cache.h"
#include "core/storage.h"
#include "core/tensor.h"

namespace moegnn {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

// Each test starts from an empty cache with a known limit and leaves it as it found it.
class HostCache : public ::testing::Test {
 protected:
  void SetUp() override {
    host_cache::empty();
    host_cache::set_limit(256 * kMiB);
  }
  void TearDown() override { host_cache::empty(); }
};

TEST_F(HostCache, ReleasedBufferIsHandedOutAgain) {
  std::size_t capacity = 0;
  void* a = host_cache::acquire(8 * kMiB, kAlignment, &capacity);
  ASSERT_NE(a, nullptr);
  EXPECT_GE(capacity, 8 * kMiB);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a) % (2 * kMiB), 0U);  // huge-page aligned
  const HostCacheStats before = host_cache::stats();
  host_cache::release(a, capacity);
  EXPECT_EQ(host_cache::stats().cached_bytes, capacity);
  std::size_t again = 0;
  void* b = host_cache::acquire(8 * kMiB - 100, kAlignment, &again);
  EXPECT_EQ(b, a);
  EXPECT_EQ(again, capacity);
  EXPECT_EQ(host_cache::stats().hits, before.hits + 1);
  EXPECT_EQ(host_cache::stats().cached_bytes, 0U);
  host_cache::release(b, again);
}

TEST_F(HostCache, DoesNotHandOutBuffersMuchLargerThanAsked) {
  std::size_t big_capacity = 0;
  void* big = host_cache::acquire(64 * kMiB, kAlignment, &big_capacity);
  host_cache::release(big, big_capacity);
  std::size_t capacity = 0;
  void* small = host_cache::acquire(8 * kMiB, kAlignment, &capacity);  // 8x smaller: too wasteful
  EXPECT_NE(small, big);
  EXPECT_LT(capacity, big_capacity);
  EXPECT_EQ(host_cache::stats().cached_bytes, big_capacity);
  host_cache::release(small, capacity);
}

TEST_F(HostCache, KeepsNoMoreThanTheLimit) {
  host_cache::set_limit(10 * kMiB);
  std::size_t c1 = 0, c2 = 0;
  void* a = host_cache::acquire(8 * kMiB, kAlignment, &c1);
  void* b = host_cache::acquire(8 * kMiB, kAlignment, &c2);
  host_cache::release(a, c1);
  host_cache::release(b, c2);  // would exceed 10 MiB: freed instead
  EXPECT_EQ(host_cache::stats().cached_bytes, c1);
  EXPECT_LE(host_cache::stats().cached_bytes, host_cache::stats().limit_bytes);
  host_cache::set_limit(0);  // off: empties and keeps nothing
  EXPECT_EQ(host_cache::stats().cached_bytes, 0U);
  void* d = host_cache::acquire(8 * kMiB, kAlignment, &c1);
  host_cache::release(d, c1);
  EXPECT_EQ(host_cache::stats().cached_bytes, 0U);
}

TEST_F(HostCache, StorageOfALargeTensorReusesTheBufferOfAFreedOne) {
  const void* first = nullptr;
  {
    Tensor t = Tensor::empty(1024, 1024);  // 4 MiB
    first = t.data();
  }
  const HostCacheStats before = host_cache::stats();
  Tensor u = Tensor::zeros(1024, 1000);  // fits the freed buffer within the waste bound
  EXPECT_EQ(static_cast<const void*>(u.data()), first);
  EXPECT_EQ(host_cache::stats().hits, before.hits + 1);
  for (Index i = 0; i < u.size(); ++i) ASSERT_EQ(u.data()[i], 0.0f) << "zeros() must clear reused memory";
}

TEST_F(HostCache, SmallBuffersBypassTheCache) {
  const HostCacheStats before = host_cache::stats();
  { auto s = Storage::allocate(host_cache::min_bytes() - 1, Device::Cpu); }
  EXPECT_EQ(host_cache::stats().cached_bytes, 0U);
  EXPECT_EQ(host_cache::stats().misses, before.misses);
}

// MOEGNN_HOST_HUGEPAGES takes 1, 0 or nothing; anything else is refused by name when the first
// fresh buffer is made (in a re-executed child, so that the policy is read afresh).
TEST(HostCacheDeathTest, UnknownHugePagesSettingIsRefusedByName) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("MOEGNN_HOST_HUGEPAGES", "yes", 1);
        host_cache::empty();
        try {
          std::size_t capacity = 0;
          void* data = host_cache::acquire(4 * kMiB, kAlignment, &capacity);
          host_cache::release(data, capacity);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "%s\n", e.what());
          std::exit(3);
        }
        std::exit(0);
      },
      ::testing::ExitedWithCode(3), "MOEGNN_HOST_HUGEPAGES is 'yes' vs 1");
}

// Every setting gives working buffers (huge pages or not is the kernel's business).
TEST(HostCacheDeathTest, EverySettingGivesWritableBuffers) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (const char* value : {"0", "1", ""}) {
    EXPECT_EXIT(
        {
          setenv("MOEGNN_HOST_HUGEPAGES", value, 1);
          host_cache::empty();
          std::size_t capacity = 0;
          auto* data =
              static_cast<unsigned char*>(host_cache::acquire(6 * kMiB, kAlignment, &capacity));
          for (std::size_t i = 0; i < capacity; i += 4096) data[i] = static_cast<unsigned char>(i);
          const bool ok = data[4096 * 7] == static_cast<unsigned char>(4096 * 7);
          host_cache::release(data, capacity);
          std::exit(ok ? 0 : 1);
        },
        ::testing::ExitedWithCode(0), "")
        << "MOEGNN_HOST_HUGEPAGES='" << value << "'";
  }
}

}  // namespace
}  // namespace moegnn
