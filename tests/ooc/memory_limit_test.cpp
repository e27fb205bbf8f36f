// SPDX-License-Identifier: Apache-2.0
#include "ooc/memory_limit.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "core/error.h"
#include "tests/support/temp_dir.h"

namespace moegnn::ooc {
namespace {

using testing::TempDir;

void write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

TEST(MemoryLimitTest, MemTotalWhenNoCgroupLimits) {
  TempDir root;
  write(root / "proc/meminfo", "MemTotal:       24684544 kB\nMemFree:  100 kB\n");
  write(root / "proc/self/cgroup", "0::/user.slice\n");
  write(root / "sys/fs/cgroup/user.slice/memory.max", "max\n");
  const auto limit = memory_limit(root.path());
  ASSERT_TRUE(limit.has_value());
  EXPECT_EQ(limit->bytes, 24684544ull * 1024);
  EXPECT_NE(limit->source.find("MemTotal"), std::string::npos);
}

TEST(MemoryLimitTest, CgroupV2LimitOfAnAncestorApplies) {
  TempDir root;
  write(root / "proc/meminfo", "MemTotal: 24684544 kB\n");
  write(root / "proc/self/cgroup", "0::/a/b\n");
  write(root / "sys/fs/cgroup/a/b/memory.max", "max\n");
  write(root / "sys/fs/cgroup/a/memory.max", "6442450944\n");
  const auto limit = memory_limit(root.path());
  ASSERT_TRUE(limit.has_value());
  EXPECT_EQ(limit->bytes, 6442450944ull);
  EXPECT_NE(limit->source.find("a/memory.max"), std::string::npos);
}

TEST(MemoryLimitTest, CgroupV1MemoryControllerAmongOthers) {
  TempDir root;
  write(root / "proc/meminfo", "MemTotal: 24684544 kB\n");
  write(root / "proc/self/cgroup", "7:blkio:/\n4:memory,hugetlb:/job/run\n0::/\n");
  write(root / "sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
  write(root / "sys/fs/cgroup/memory/job/memory.limit_in_bytes", "9223372036854771712\n");
  write(root / "sys/fs/cgroup/memory/job/run/memory.limit_in_bytes", "1073741824\n");
  const auto limit = memory_limit(root.path());
  ASSERT_TRUE(limit.has_value());
  EXPECT_EQ(limit->bytes, 1073741824ull);
  EXPECT_NE(limit->source.find("job/run/memory.limit_in_bytes"), std::string::npos);
}

TEST(MemoryLimitTest, NothingReadableIsUnknown) {
  TempDir root;
  write(root / "proc/self/cgroup", "garbage\n0::/x\n");
  write(root / "sys/fs/cgroup/x/memory.max", "not a number\n");
  EXPECT_FALSE(memory_limit(root.path()).has_value());
}

TEST(MemoryLimitTest, ThisMachineHasALimit) {
  const auto limit = memory_limit();
  ASSERT_TRUE(limit.has_value());  // /proc/meminfo exists on Linux
  EXPECT_GT(limit->bytes, 0u);
}

TEST(MemoryLimitTest, ATableLargerThanTheLimitIsRefusedWithBothSizes) {
  const MemoryLimit limit{6442450944ull, "memory.limit_in_bytes"};
  EXPECT_NO_THROW(check_fits_in_memory(4096000128ull, "the table", limit, "f"));
  EXPECT_NO_THROW(check_fits_in_memory(6442450944ull, "the table", limit, "f"));
  EXPECT_NO_THROW(check_fits_in_memory(16384000128ull, "the table", std::nullopt, "f"));
  try {
    check_fits_in_memory(16384000128ull, "the table", limit, "f");
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("16384000128"), std::string::npos) << m;
    EXPECT_NE(m.find("6442450944"), std::string::npos) << m;
    EXPECT_NE(m.find("memory.limit_in_bytes"), std::string::npos) << m;
    EXPECT_NE(m.find("--features pack"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace moegnn::ooc
