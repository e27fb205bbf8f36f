// SPDX-License-Identifier: Apache-2.0
// SHA-256 verification on load (datasets/detail/digest_cache.h and the registry): a mismatch is
// reported with a cold cache and with a warm one, the cache is consulted instead of hashing again,
// an unwritable cache folder only costs hashing, and 20 flipped bits in a copy of Cora's ind.ally
// (which used to relabel nodes silently) stop the registry's load.
#include <gtest/gtest.h>

#include "core/error.h"
#include "datasets/detail/digest_cache.h"
#include "datasets/registry.h"
#include "datasets/sha256.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

using detail::forget_digest_memo;
using detail::verify_file_digest;
using testing::TempDir;

const std::string kText = "node_id\tnode_id\n0\t1\n";

TEST(DigestCache, MismatchIsReportedWithAColdCache) {
  forget_digest_memo();
  TempDir tmp;
  testing::write_text(tmp / "f.txt", kText);
  const std::string good = sha256_hex(kText);
  const std::string bad = sha256_hex("something else");
  EXPECT_THROW_WITH(verify_file_digest(tmp / "f.txt", bad, tmp / "cache"), IoError,
                    (tmp / "f.txt").string() + ": SHA-256 is " + good + " vs " + bad +
                        " recorded for the official file; the file is corrupt or altered: delete "
                        "it and download it again");
  EXPECT_NO_THROW(verify_file_digest(tmp / "f.txt", good, tmp / "cache"));
  EXPECT_TRUE(std::filesystem::is_regular_file(tmp / "cache" / "sha256-cache.tsv"));
}

TEST(DigestCache, MismatchIsReportedWithAWarmCache) {
  forget_digest_memo();
  TempDir tmp;
  const std::filesystem::path file = tmp / "f.txt";
  testing::write_text(file, kText);
  const std::string good = sha256_hex(kText);
  verify_file_digest(file, good, tmp / "cache");  // warm: memo and cache file hold the digest
  // Corrupt the file (same size, a later mtime): the cached digest no longer applies.
  testing::flip_byte(file, 3);
  std::filesystem::last_write_time(
      file, std::filesystem::last_write_time(file) + std::chrono::seconds(2));
  EXPECT_THROW_WITH(verify_file_digest(file, good, tmp / "cache"), IoError, "SHA-256 is ");
  forget_digest_memo();  // a new process: only the cache file is warm
  EXPECT_THROW_WITH(verify_file_digest(file, good, tmp / "cache"), IoError, "SHA-256 is ");
}

TEST(DigestCache, WarmCacheIsUsedInsteadOfHashing) {
  forget_digest_memo();
  TempDir tmp;
  const std::filesystem::path file = tmp / "f.txt";
  testing::write_text(file, kText);
  const std::string good = sha256_hex(kText);
  verify_file_digest(file, good, tmp / "cache");
  // Rewrite the cache entry with another digest: a later check that trusts the cache for this
  // (size, mtime) reports that digest rather than hashing the (good) file again.
  const std::filesystem::path cache = tmp / "cache" / "sha256-cache.tsv";
  std::string entries = testing::read_text(cache);
  const std::string other = sha256_hex("other");
  entries.replace(entries.find(good), good.size(), other);
  testing::write_text(cache, entries);
  forget_digest_memo();
  EXPECT_THROW_WITH(verify_file_digest(file, good, tmp / "cache"), IoError,
                    "SHA-256 is " + other + " vs " + good);
}

TEST(DigestCache, UnwritableCacheFallsBackToHashing) {
  forget_digest_memo();
  TempDir tmp;
  testing::write_text(tmp / "f.txt", kText);
  testing::write_text(tmp / "plain", "a file, so no folder can be made below it");
  const std::filesystem::path cache = tmp / "plain" / "moegnn";
  EXPECT_NO_THROW(verify_file_digest(tmp / "f.txt", sha256_hex(kText), cache));
  forget_digest_memo();
  EXPECT_THROW_WITH(verify_file_digest(tmp / "f.txt", sha256_hex("x"), cache), IoError,
                    "SHA-256 is ");
  EXPECT_THROW_WITH(verify_file_digest(tmp / "f.txt", sha256_hex("x"), {}), IoError,
                    "SHA-256 is ");
  std::filesystem::create_directories(tmp / "d");
  EXPECT_THROW_WITH(verify_file_digest(tmp / "d", sha256_hex("x"), {}), IoError,
                    "is a directory");
}

TEST(DigestCache, FlippedBitsInCoraAreCaughtOnLoad) {
  MOEGNN_REQUIRE_DATASET(cora, "cora");
  forget_digest_memo();
  TempDir tmp;
  testing::copy_tree(cora, tmp / "cora");
  RegistryOptions o;
  o.download = false;
  o.digest_cache_dir = tmp / "cache";
  EXPECT_EQ(load_node_dataset("cora", tmp.path(), o).num_nodes(), 2708);  // cold, then warm
  EXPECT_EQ(load_node_dataset("cora", tmp.path(), o).num_nodes(), 2708);
  // 20 flipped bits in ind.cora.ally (a byte XOR 0x5a flips 4; five bytes), past the header.
  const std::filesystem::path ally = tmp / "cora" / "ind.cora.ally";
  for (std::uintmax_t at = 1000; at < 1005; ++at) testing::flip_byte(ally, at);
  std::filesystem::last_write_time(
      ally, std::filesystem::last_write_time(ally) + std::chrono::seconds(2));
  EXPECT_THROW_WITH(load_node_dataset("cora", tmp.path(), o), IoError,
                    ally.string() + ": SHA-256 is ");
  forget_digest_memo();
  EXPECT_THROW_WITH(load_node_dataset("cora", tmp.path(), o), IoError,
                    "2b998f5cc7fedc86e7f97ca2498f47a1ffc1462c29e2d578b23bf3f62b6e7d71");
  // Opting out loads the corrupt file (whatever it now decodes to) without the check.
  o.verify_digests = false;
  try {
    load_node_dataset("cora", tmp.path(), o);
  } catch (const IoError&) {
  }
}

}  // namespace
}  // namespace moegnn::datasets
