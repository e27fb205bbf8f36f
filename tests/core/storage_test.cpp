// SPDX-License-Identifier: Apache-2.0
// Storage: aligned allocation, adopted memory and its release, bounds-checked copies.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <gtest/gtest.h>

#include "core/error.h"
#include "core/storage.h"

namespace moegnn {
namespace {

TEST(Storage, AllocatesAlignedCpuMemory) {
  for (std::size_t bytes : {0UL, 1UL, 63UL, 64UL, 1000UL}) {
    auto s = Storage::allocate(bytes, Device::Cpu);
    EXPECT_EQ(s->bytes(), bytes);
    EXPECT_EQ(s->device(), Device::Cpu);
    ASSERT_NE(s->data(), nullptr);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(s->data()) % kAlignment, 0U);
  }
}

TEST(Storage, AdoptReleasesOnceWhenTheLastUserGoes) {
  int releases = 0;
  void* memory = std::aligned_alloc(kAlignment, 128);
  {
    auto s = Storage::adopt(memory, 128, Device::Cpu, [&](void* p) {
      ++releases;
      std::free(p);
    });
    auto other = s;
    s.reset();
    EXPECT_EQ(releases, 0);
    EXPECT_EQ(other->data(), memory);
  }
  EXPECT_EQ(releases, 1);
}

TEST(Storage, AdoptRejectsMisalignedCpuMemory) {
  alignas(64) static char buffer[256];
  EXPECT_THROW(Storage::adopt(buffer + 4, 16, Device::Cpu, [](void*) {}), InvalidArgument);
}

TEST(Storage, CopyFromHonoursOffsetsAndBounds) {
  auto src = Storage::allocate(8, Device::Cpu);
  auto dst = Storage::allocate(8, Device::Cpu);
  std::memcpy(src->data(), "abcdefgh", 8);
  std::memset(dst->data(), '-', 8);
  dst->copy_from(*src, 3, 2, 4);  // "cde" into positions 4..6
  EXPECT_EQ(std::memcmp(dst->data(), "----cde-", 8), 0);
  EXPECT_THROW(dst->copy_from(*src, 7, 2, 0), InvalidArgument);  // reads past the source
  EXPECT_THROW(dst->copy_from(*src, 5, 0, 4), InvalidArgument);  // writes past the destination
  EXPECT_NO_THROW(dst->copy_from(*src, 0, 8, 8));                // empty copy at the end
}

}  // namespace
}  // namespace moegnn
