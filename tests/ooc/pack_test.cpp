// SPDX-License-Identifier: Apache-2.0
#include "ooc/pack.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <fstream>

#include <sys/resource.h>

#include "core/error.h"
#include "datasets/powerlaw.h"
#include "ooc/pool.h"
#include "tests/ooc/ooc_test_util.h"

namespace moegnn::ooc {
namespace {

using testing::TempDir;

class PackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    datasets::write_powerlaw(testing::small_graph(), dir_ / "data");
    data_ = datasets::powerlaw(testing::small_graph());
    file_ = open_feature_file(dir_ / "data" / "features.npy");
    PoolOptions o;
    o.fanouts = {5, 3};
    o.batch_size = 64;
    o.max_batches = 6;
    o.seed = 3;
    pool_ = sample_pool(data_.graph, data_.train, o);
    digest_ = graph_digest(data_.graph);
  }
  PackOptions options(bool batched = true) const {
    PackOptions p;
    p.cache_bytes = 150 * file_.row_bytes();
    p.memory_bytes = std::size_t{1} << 20;
    p.batched = batched;
    return p;
  }
  std::filesystem::path write(const std::string& name, const PackOptions& p) {
    write_pack(dir_ / name, pool_, digest_, file_, p);
    return dir_ / name;
  }
  void expect_row(const float* got, graph::NodeId v) const {
    for (Index c = 0; c < file_.cols; ++c) ASSERT_EQ(got[c], data_.features.host()(v, c)) << v;
  }
  TempDir dir_;
  datasets::NodeDataset data_;
  FeatureFile file_;
  BatchPool pool_;
  GraphDigest digest_;
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(PackTest, PackedLayoutRoundTrips) {
  ASSERT_EQ(pool_.size(), 6);
  const auto dir = write("p", options());
  const auto pack = Pack::open(dir, &file_, &digest_);
  ASSERT_EQ(pack->pool().size(), pool_.size());
  EXPECT_EQ(pack->cache()->size(), 150);
  for (Index i = 0; i < pack->cache()->size(); ++i)
    expect_row(pack->cache()->row(static_cast<std::int32_t>(i)), pack->cache()->ids()[static_cast<std::size_t>(i)]);
  const std::string packed = slurp(dir / "packed.bin");
  std::uint64_t cold = 0;
  for (Index b = 0; b < pool_.size(); ++b) {
    const PoolBatch& a = pool_.batches[static_cast<std::size_t>(b)];
    const PoolBatch& r = pack->pool().batches[static_cast<std::size_t>(b)];
    ASSERT_EQ(a.blocks.size(), r.blocks.size());
    EXPECT_TRUE(std::ranges::equal(a.seeds.host(), r.seeds.host()));
    for (std::size_t l = 0; l < a.blocks.size(); ++l) {
      EXPECT_EQ(a.blocks[l].num_dst, r.blocks[l].num_dst);
      EXPECT_TRUE(std::ranges::equal(a.blocks[l].src_nodes.host(), r.blocks[l].src_nodes.host()));
      EXPECT_TRUE(std::ranges::equal(a.blocks[l].adj.col_idx().host(), r.blocks[l].adj.col_idx().host()));
      EXPECT_TRUE(std::ranges::equal(a.blocks[l].adj.row_ptr().host(), r.blocks[l].adj.row_ptr().host()));
    }
    // Every input row is either hot or in the batch's packed region, which holds the table's rows.
    const auto& c = pack->cold(b);
    cold += c.size();
    for (std::size_t i = 0; i < c.size(); ++i)
      expect_row(reinterpret_cast<const float*>(packed.data() + pack->offset(b) + i * file_.row_bytes()), c[i]);
    for (graph::NodeId v : a.inputs().host())
      EXPECT_TRUE(pack->cache()->slot(v) >= 0 || std::ranges::binary_search(c, v)) << v;
  }
  EXPECT_EQ(pack->info().cold_rows, cold);
  EXPECT_GT(cold, 0u);
}

TEST_F(PackTest, NaiveAndBatchedPackingWriteTheSameBytes) {
  const auto a = write("batched", options(true));
  PackOptions small = options(true);
  small.memory_bytes = 64 << 10;  // many chunks
  const auto b = write("batched-small", small);
  const auto c = write("naive", options(false));
  EXPECT_EQ(slurp(a / "packed.bin"), slurp(b / "packed.bin"));
  EXPECT_EQ(slurp(a / "packed.bin"), slurp(c / "packed.bin"));
  EXPECT_EQ(slurp(a / "cache.bin"), slurp(c / "cache.bin"));
  EXPECT_GT(read_pack_info(b).stats.bytes_read, 0u);
  EXPECT_EQ(read_pack_info(c).method, "naive");
}

TEST_F(PackTest, PackWithoutManifestIsRefused) {
  const auto dir = write("p", options());
  std::filesystem::remove(dir / "manifest.json");  // what a kill -9 before the last write leaves
  try {
    Pack::open(dir, &file_);
    FAIL() << "an incomplete pack was accepted";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("no manifest.json"), std::string::npos) << e.what();
  }
}

TEST_F(PackTest, StaleTruncatedOrCorruptPackIsRefusedByName) {
  const auto dir = write("p", options());
  auto refused = [&](const std::string& word) {
    try {
      Pack::open(dir, &file_, &digest_);
      ADD_FAILURE() << "accepted; expected " << word;
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find(word), std::string::npos) << e.what();
    }
  };
  GraphDigest other = digest_;
  other.crc32 ^= 1;
  EXPECT_THROW(Pack::open(dir, &file_, &other), IoError);
  FeatureFile touched = file_;
  touched.mtime_ns += 1;
  EXPECT_THROW(Pack::open(dir, &touched), IoError);
  const auto size = std::filesystem::file_size(dir / "packed.bin");
  std::filesystem::resize_file(dir / "packed.bin", size - 4096);
  refused("packed.bin");
  std::filesystem::resize_file(dir / "packed.bin", size);
  {
    std::fstream f(dir / "pool.bin", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.put('\x5a');
  }
  refused("pool.bin");
}

TEST_F(PackTest, BudgetSmallerThanOneBatchIsRefusedWithTheMinimum) {
  PackOptions p = options();
  p.memory_bytes = 4096;
  try {
    write("p", p);
    FAIL() << "accepted";
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("need at least"), std::string::npos) << what;
    const PackLayout layout = plan_pack(pool_, file_.row_bytes(), p.cache_bytes);
    EXPECT_NE(what.find(std::to_string(min_pack_memory(layout))), std::string::npos) << what;
    p.memory_bytes = min_pack_memory(layout);
    EXPECT_NO_THROW(write("q", p));
  }
}

TEST_F(PackTest, FullDiskFailsCleanly) {
  // RLIMIT_FSIZE makes a write past the limit fail with EFBIG, as a full disk fails with ENOSPC.
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto* previous = std::signal(SIGXFSZ, SIG_IGN);
  rlimit tight = old;
  tight.rlim_cur = 16 << 10;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tight), 0);
  bool threw = false;
  try {
    write("p", options());
  } catch (const IoError& e) {
    threw = true;
    EXPECT_NE(std::string(e.what()).find(".tmp."), std::string::npos) << e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, previous);
  EXPECT_TRUE(threw);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "p" / "manifest.json"));
  EXPECT_THROW(Pack::open(dir_ / "p"), IoError);
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "p"))
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
}

}  // namespace
}  // namespace moegnn::ooc
