// SPDX-License-Identifier: Apache-2.0
#include "ooc/disk_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include "core/error.h"
#include "core/rng.h"
#include "datasets/powerlaw.h"
#include "ooc/feature_file.h"
#include "ooc/hot_cache.h"
#include "tests/ooc/ooc_test_util.h"

namespace moegnn::ooc {
namespace {

using testing::TempDir;

class DiskStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    datasets::write_powerlaw(testing::small_graph(), dir_.path());
    x_ = datasets::powerlaw(testing::small_graph()).features;
    file_ = open_feature_file(dir_ / "features.npy");
  }
  IndexArray32 random_ids(Index n, std::uint64_t seed) const {
    Rng rng(seed);
    std::vector<graph::NodeId> ids(static_cast<std::size_t>(n));
    for (auto& v : ids) v = static_cast<graph::NodeId>(rng.below(static_cast<std::uint64_t>(file_.rows)));
    ids.front() = static_cast<graph::NodeId>(file_.rows - 1);  // the unaligned end of the table
    ids.back() = 0;
    return IndexArray32(ids);
  }
  void expect_rows(const Tensor& got, const IndexArray32& ids) const {
    ASSERT_EQ(got.rows(), ids.size());
    ASSERT_EQ(got.cols(), x_.cols());
    for (Index i = 0; i < ids.size(); ++i)
      for (Index c = 0; c < x_.cols(); ++c)
        ASSERT_EQ(got.host()(i, c), x_.host()(ids[i], c)) << "row " << i << " id " << ids[i];
  }
  TempDir dir_;
  Tensor x_;
  FeatureFile file_;
};

TEST_F(DiskStoreTest, HeaderMatchesTheTable) {
  EXPECT_EQ(file_.rows, 3000);
  EXPECT_EQ(file_.cols, 37);
  EXPECT_EQ(file_.format, "npy");
}

TEST_F(DiskStoreTest, ReadsEqualInMemoryRowsForRandomIdsWithAndWithoutCache) {
  std::vector<std::uint32_t> counts(static_cast<std::size_t>(file_.rows), 0);
  for (Index v = 0; v < file_.rows; v += 3) counts[static_cast<std::size_t>(v)] = 1 + v % 7;
  const std::vector<graph::NodeId> hot = select_hot_rows(counts, file_.row_bytes(), 200 * 148);
  ASSERT_EQ(hot.size(), 200u);
  ASSERT_TRUE(std::is_sorted(hot.begin(), hot.end()));
  DirectFile reader(file_.path);
  auto engine = make_io_engine();
  auto cache = std::make_shared<HotCache>(load_hot_cache(file_, reader, *engine, hot, 4096));
  for (bool coalesce : {true, false}) {
    for (bool with_cache : {false, true}) {
      DiskFeatureStore store(file_, with_cache ? cache : nullptr, {.coalesce = coalesce});
      const IndexArray32 ids = random_ids(700, coalesce + 2 * with_cache);
      expect_rows(store.gather(ids), ids);
      const StoreStats s = store.stats();
      EXPECT_EQ(s.rows, 700u);
      EXPECT_EQ(s.hits > 0, with_cache);
      EXPECT_GT(s.bytes_read, 0u);
    }
  }
  for (Index i = 0; i < cache->size(); ++i)
    for (Index c = 0; c < file_.cols; ++c)
      ASSERT_EQ(cache->rows().host()(i, c), x_.host()(cache->ids()[static_cast<std::size_t>(i)], c));
  MmapFeatureStore mapped(file_);
  const IndexArray32 ids = random_ids(300, 9);
  expect_rows(mapped.gather(ids), ids);
  DiskFeatureStore store(file_, nullptr);
  std::vector<graph::NodeId> every(static_cast<std::size_t>(file_.rows));
  for (std::size_t v = 0; v < every.size(); ++v) every[v] = static_cast<graph::NodeId>(v);
  expect_rows(store.all(), IndexArray32(every));
}

TEST_F(DiskStoreTest, PerRowReadsCostAPageEachCoalescedReadsLess) {
  std::vector<graph::NodeId> ids(400);
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<graph::NodeId>(i);
  DiskFeatureStore per_row(file_, nullptr, {.coalesce = false});
  DiskFeatureStore coalesced(file_, nullptr, {.coalesce = true});
  per_row.gather(IndexArray32(ids));
  coalesced.gather(IndexArray32(ids));
  EXPECT_GE(per_row.stats().requests, 400u);
  EXPECT_GE(per_row.stats().bytes_read, 400u * kDirectAlign);
  // 400 consecutive 148-byte rows span 15 blocks: one request.
  EXPECT_EQ(coalesced.stats().requests, 1u);
  EXPECT_LE(coalesced.stats().bytes_read, 16u * kDirectAlign);
}

TEST_F(DiskStoreTest, IdOutOfRangeThrows) {
  DiskFeatureStore store(file_, nullptr);
  EXPECT_THROW(store.gather(IndexArray32(std::vector<graph::NodeId>{0, 3000})), InvalidArgument);
}

TEST_F(DiskStoreTest, TruncatedFileIsNamed) {
  const auto path = dir_ / "features.npy";
  std::filesystem::resize_file(path, file_.file_bytes - 100);
  try {
    open_feature_file(path);
    FAIL() << "a truncated table was accepted";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("features.npy"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  std::ofstream(dir_ / "junk.bin") << "not a table";
  EXPECT_THROW(open_feature_file(dir_ / "junk.bin"), IoError);
  EXPECT_THROW(open_feature_file(dir_ / "missing.npy"), IoError);
}

TEST_F(DiskStoreTest, EnginesAgree) {
  const IndexArray32 ids = random_ids(500, 4);
  for (IoEngineKind kind : {IoEngineKind::Pread, IoEngineKind::Auto}) {
    DiskFeatureStore store(file_, nullptr, {.engine = kind, .depth = 8});
    expect_rows(store.gather(ids), ids);
  }
}

}  // namespace
}  // namespace moegnn::ooc
