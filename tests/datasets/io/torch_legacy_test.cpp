// SPDX-License-Identifier: Apache-2.0
// PyTorch legacy .pt reader: tensors of every storage type, shared storages with offsets, a single
// tensor, ndarray values (ogbl-ddi), non-contiguous tensors, corrupt files and the real ogbl-ddi
// split files when present.
#include <algorithm>
#include <cstring>

#include <gtest/gtest.h>

#include "datasets/io/torch_legacy.h"
#include "tests/datasets/io/io_test_util.h"

namespace moegnn::datasets::io {
namespace {

using testing::fixture;
using testing::fixture_bytes;

TEST(TorchLegacy, ReadsADictOfTensors) {
  const auto t = read_torch_legacy(fixture("torch_dict.pt"));
  ASSERT_EQ(t.size(), 7u);
  const NpyArray& edge = t.at("edge");
  EXPECT_EQ(edge.dtype(), NpyDType::Int64);
  EXPECT_EQ(edge.shape(), (std::vector<Index>{5, 2}));
  const std::vector<std::int64_t> e = edge.to_int64();
  for (std::size_t k = 0; k < e.size(); ++k)
    EXPECT_EQ(e[k], testing::signed_at(static_cast<std::int64_t>(k)));
  // edge_tail views the same storage from element 2 on.
  const std::vector<std::int64_t> tail = t.at("edge_tail").to_int64();
  ASSERT_EQ(tail.size(), 8u);
  for (std::size_t k = 0; k < tail.size(); ++k)
    EXPECT_EQ(tail[k], testing::signed_at(static_cast<std::int64_t>(k + 2)));
  const Tensor w = t.at("weight").to_tensor();
  EXPECT_EQ(w.rows(), 4);
  for (Index k = 0; k < 4; ++k) EXPECT_EQ(w.data()[k], static_cast<float>(testing::float_at(k)));
  EXPECT_EQ(t.at("x").dtype(), NpyDType::Float64);
  EXPECT_EQ(t.at("x").to_tensor().host()(1, 2), static_cast<float>(testing::float_at(5)));
  EXPECT_EQ(t.at("mask").to_bool(), (std::vector<bool>{true, false, false}));
  EXPECT_EQ(t.at("ids").to_int32()[4], testing::signed_at(4));
  EXPECT_EQ(t.at("empty").shape(), (std::vector<Index>{0, 2}));
}

TEST(TorchLegacy, ReadsASingleTensorAndNdarrayValues) {
  const auto single = read_torch_legacy(fixture("torch_single.pt"));
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single.at("").shape(), (std::vector<Index>{3, 2}));
  const auto ddi = read_torch_legacy(fixture("torch_ndarray.pt"));
  EXPECT_EQ(ddi.at("edge").shape(), (std::vector<Index>{4, 2}));
  EXPECT_EQ(ddi.at("edge_neg").to_int64()[5], testing::signed_at(5));
}

TEST(TorchLegacy, RejectsNonContiguousTensors) {
  try {
    read_torch_legacy(fixture("torch_noncontiguous.pt"));
    ADD_FAILURE() << "no Unsupported";
  } catch (const Unsupported& e) {
    EXPECT_NE(std::string(e.what()).find("not C-contiguous"), std::string::npos) << e.what();
  }
}

TEST(TorchLegacy, RejectsBadMagicAndCountMismatch) {
  testing::expect_io_error([] { parse_torch_legacy(fixture_bytes("pickle_p2.pkl"), "p.pt"); },
                           "p.pt: byte 0: bad magic");
  // The data section's first count (the 10-element edge storage) changed to 2^62.
  std::string bytes = fixture_bytes("torch_dict.pt");
  const std::string count("\x0a\0\0\0\0\0\0\0", 8);
  const std::size_t at = bytes.rfind(count, bytes.size() - 80);
  ASSERT_NE(at, std::string::npos);
  bytes[at + 7] = '\x40';
  testing::expect_io_error([&] { parse_torch_legacy(bytes, "n.pt"); }, "vs 10 declared");
}

TEST(TorchLegacy, EveryTruncationThrowsIoError) {
  for (const char* file : {"torch_dict.pt", "torch_ndarray.pt"}) {
    SCOPED_TRACE(file);
    testing::expect_prefixes_fail(fixture_bytes(file), "cut.pt",
                                  [](const std::string& b) { parse_torch_legacy(b, "cut.pt"); });
  }
}

TEST(TorchLegacy, FlippedBytesNeverCrash) {
  testing::expect_flips_safe(fixture_bytes("torch_dict.pt"), "flip.pt",
                             [](const std::string& b) { parse_torch_legacy(b, "flip.pt"); });
}

TEST(TorchLegacyRealData, OgblDdiSplits) {
  MOEGNN_REQUIRE_DATASET(dir, "ogbl-ddi");
  const auto valid = read_torch_legacy(dir / "split" / "target" / "valid.pt");
  EXPECT_EQ(valid.at("edge").shape(), (std::vector<Index>{133489, 2}));
  EXPECT_EQ(valid.at("edge_neg").shape(), (std::vector<Index>{101882, 2}));
  const auto test = read_torch_legacy(dir / "split" / "target" / "test.pt");
  EXPECT_EQ(test.at("edge").shape(), (std::vector<Index>{133489, 2}));
  EXPECT_EQ(test.at("edge_neg").shape(), (std::vector<Index>{95599, 2}));
  const std::vector<std::int64_t> ids = test.at("edge").to_int64();
  const auto [lo, hi] = std::minmax_element(ids.begin(), ids.end());
  EXPECT_GE(*lo, 0);
  EXPECT_LT(*hi, 4267);
}

}  // namespace
}  // namespace moegnn::datasets::io
