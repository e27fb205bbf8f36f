// SPDX-License-Identifier: Apache-2.0
// .npz / ZIP reader: stored, deflate and ZIP64 archives, member selection, CRC and size checks,
// corrupt archives, and the real Geom-GCN split and gnn-benchmark files when present.
#include <algorithm>
#include <cstring>
#include <set>

#include <gtest/gtest.h>

#include "datasets/io/npz.h"
#include "datasets/io/zip_archive.h"
#include "tests/datasets/io/io_test_util.h"

namespace moegnn::datasets::io {
namespace {

using testing::fixture;
using testing::fixture_bytes;

void expect_fixture_arrays(const std::map<std::string, NpyArray>& arrays) {
  ASSERT_EQ(arrays.size(), 3u);
  const NpyArray& a = arrays.at("a");
  EXPECT_EQ(a.shape(), (std::vector<Index>{3, 4}));
  const Tensor t = a.to_tensor();
  for (Index k = 0; k < 12; ++k) EXPECT_EQ(t.data()[k], static_cast<float>(testing::float_at(k)));
  const std::vector<std::int64_t> b = arrays.at("b").to_int64();
  ASSERT_EQ(b.size(), 5u);
  for (std::size_t k = 0; k < 5; ++k)
    EXPECT_EQ(b[k], testing::signed_at(static_cast<std::int64_t>(k)));
  const std::vector<bool> mask = arrays.at("mask").to_bool();
  ASSERT_EQ(mask.size(), 7u);
  for (std::size_t k = 0; k < 7; ++k)
    EXPECT_EQ(mask[k], testing::bool_at(static_cast<std::int64_t>(k)));
}

TEST(Npz, ReadsStoredDeflateAndZip64Archives) {
  for (const char* file : {"npz_stored.npz", "npz_deflate.npz", "npz_zip64.npz"}) {
    SCOPED_TRACE(file);
    expect_fixture_arrays(read_npz(fixture(file)));
  }
  const ZipArchive deflate(fixture_bytes("npz_deflate.npz"), "d.npz");
  for (const ZipEntry& e : deflate.entries()) EXPECT_EQ(e.method, 8) << e.name;
  const ZipArchive zip64(fixture_bytes("npz_zip64.npz"), "z.npz");
  ASSERT_EQ(zip64.entries().size(), 3u);
  EXPECT_EQ(zip64.entries()[0].name, "a.npy");
}

TEST(Npz, ListsAndSelectsMembers) {
  const std::vector<std::string> keys = list_npz(fixture("npz_deflate.npz"));
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()),
            (std::set<std::string>{"a", "b", "mask"}));
  const auto only = read_npz(fixture("npz_deflate.npz"), {"b"});
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only.at("b").size(), 5);
  testing::expect_io_error([] { read_npz(fixture("npz_deflate.npz"), {"nope"}); },
                           "no member 'nope'");
}

TEST(Npz, MemberErrorsNameArchiveAndMember) {
  // Corrupt one data byte of the stored member "b.npy": the CRC check catches it.
  std::string bytes = fixture_bytes("npz_stored.npz");
  const ZipArchive zip(bytes, "x.npz");
  const auto& entries = zip.entries();
  const auto b = std::find_if(entries.begin(), entries.end(),
                              [](const ZipEntry& e) { return e.name == "b.npy"; });
  ASSERT_NE(b, entries.end());
  const auto at = static_cast<std::size_t>(b->local_header_offset);
  std::uint16_t name_len = 0, extra_len = 0;  // the local header has its own extra field
  std::memcpy(&name_len, bytes.data() + at + 26, 2);
  std::memcpy(&extra_len, bytes.data() + at + 28, 2);
  const std::size_t data_end =
      at + 30 + name_len + extra_len + static_cast<std::size_t>(b->compressed_size);
  bytes[data_end - 1] ^= 0x01;
  testing::expect_io_error([&] { parse_npz(bytes, "x.npz"); }, "CRC-32 of entry 'b.npy'");
}

TEST(Npz, RejectsHugeDeclaredSizes) {
  // Declare 2^40 uncompressed bytes for a deflate member through the central directory.
  std::string bytes = fixture_bytes("npz_deflate.npz");
  const std::size_t central = bytes.rfind("PK\x01\x02");
  ASSERT_NE(central, std::string::npos);
  const std::uint32_t big = 0xF0000000u;
  std::memcpy(bytes.data() + central + 24, &big, 4);  // uncompressed size field
  testing::expect_io_error([&] { parse_npz(bytes, "big.npz"); }, "maximum ratio");
  std::string count = fixture_bytes("npz_stored.npz");
  const std::size_t end = count.rfind("PK\x05\x06");
  count[end + 10] = '\x7f';  // entry count 0x..7f.. far beyond what fits
  testing::expect_io_error([&] { parse_npz(count, "count.npz"); }, "count.npz");
}

TEST(Npz, RejectsNonZipInput) {
  testing::expect_io_error([] { parse_npz("not a zip at all, just some text to read", "t.npz"); },
                           "bad magic");
}

TEST(Npz, EveryTruncationThrowsIoError) {
  for (const char* file : {"npz_stored.npz", "npz_deflate.npz", "npz_zip64.npz"}) {
    SCOPED_TRACE(file);
    testing::expect_prefixes_fail(fixture_bytes(file), "cut.npz",
                                  [](const std::string& b) { parse_npz(b, "cut.npz"); });
  }
}

TEST(Npz, FlippedBytesNeverCrash) {
  for (const char* file : {"npz_deflate.npz", "npz_zip64.npz"}) {
    SCOPED_TRACE(file);
    testing::expect_flips_safe(fixture_bytes(file), "flip.npz",
                               [](const std::string& b) { parse_npz(b, "flip.npz"); });
  }
}

TEST(NpzRealData, GeomGcnCoraSplitMasks) {
  MOEGNN_REQUIRE_DATASET(dir, "cora");
  const auto masks = read_npz(dir / "geom-gcn-splits" / "cora_split_0.6_0.2_0.npz");
  ASSERT_EQ(masks.size(), 3u);
  std::vector<int> seen(2708, 0);
  const std::map<std::string, std::size_t> expected = {
      {"train_mask", 1192}, {"val_mask", 796}, {"test_mask", 497}};
  for (const auto& [key, count] : expected) {
    const NpyArray& mask = masks.at(key);
    EXPECT_EQ(mask.dtype(), NpyDType::Bool);
    const std::vector<bool> bits = mask.to_bool();
    ASSERT_EQ(bits.size(), 2708u);
    EXPECT_EQ(static_cast<std::size_t>(std::count(bits.begin(), bits.end(), true)), count) << key;
    for (std::size_t i = 0; i < bits.size(); ++i) seen[i] += bits[i];
  }
  EXPECT_LE(*std::max_element(seen.begin(), seen.end()), 1);  // disjoint
}

TEST(NpzRealData, TexasSplitsAreUint8) {
  MOEGNN_REQUIRE_DATASET(dir, "texas");
  const auto masks = read_npz(dir / "splits" / "texas_split_0.6_0.2_0.npz");
  EXPECT_EQ(masks.at("train_mask").dtype(), NpyDType::UInt8);
  const std::vector<bool> train = masks.at("train_mask").to_bool();
  EXPECT_EQ(std::count(train.begin(), train.end(), true), 87);
}

TEST(NpzRealData, GnnBenchmarkCora) {
  MOEGNN_REQUIRE_DATASET(dir, "gnn-benchmark-npz");
  const auto arrays = read_npz(dir / "cora.npz");
  std::set<std::string> keys;
  for (const auto& [key, array] : arrays) keys.insert(key);
  EXPECT_EQ(keys, (std::set<std::string>{"adj_data", "adj_indices", "adj_indptr", "adj_shape",
                                         "attr_data", "attr_indices", "attr_indptr", "attr_shape",
                                         "labels", "node_names", "class_names"}));
  EXPECT_EQ(arrays.at("adj_shape").to_int64(), (std::vector<std::int64_t>{2708, 2708}));
  EXPECT_EQ(arrays.at("attr_shape").to_int64(), (std::vector<std::int64_t>{2708, 1433}));
  EXPECT_EQ(arrays.at("attr_data").size(), 49216);
  EXPECT_EQ(arrays.at("adj_indices").size(), 5429);
  EXPECT_EQ(arrays.at("labels").dtype(), NpyDType::Int8);
  const std::vector<std::int64_t> labels = arrays.at("labels").to_int64();
  EXPECT_EQ(*std::max_element(labels.begin(), labels.end()), 6);
  EXPECT_EQ(arrays.at("node_names").to_strings().size(), 2708u);
  EXPECT_EQ(arrays.at("class_names").to_strings().size(), 7u);
}

}  // namespace
}  // namespace moegnn::datasets::io
