// SPDX-License-Identifier: Apache-2.0
// safetensors checkpoints (models/checkpoint.h): the byte layout the spec prescribes, round trips,
// files written by another writer, and corrupt or truncated input throwing IoError.
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "models/training/checkpoint.h"
#include "tests/models/training/training_fixtures.h"
#include "tests/support/gradcheck.h"

namespace moegnn::training {
namespace {

std::uint64_t header_size(const std::string& bytes) {
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i)
    n |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]))
         << (8 * i);
  return n;
}

Checkpoint sample() {
  Checkpoint c;
  c.add("layer.weight", support::random_tensor(3, 5, 7));
  c.add("layer.bias", Tensor::from_rows({{1.5f, -2.0f, 0.25f, 8.0f, -0.0f}}));
  c.add("empty", Tensor::zeros(0, 4));
  c.add_int64("counter", {-3, 1LL << 40}, {2});
  c.add_int64("scalar", {7});
  c.set_metadata("epoch", "12");
  return c;
}

// A safetensors file as another writer would produce it (no CRC, unpadded header).
std::string foreign_file(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[static_cast<std::size_t>(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return out + header + data;
}

TEST(Checkpoint, LayoutFollowsTheSafetensorsSpec) {
  const std::string bytes = sample().serialize();
  const std::uint64_t n = header_size(bytes);
  ASSERT_LE(8 + n, bytes.size());
  EXPECT_EQ((8 + n) % 8, 0u) << "data must start 8-byte aligned";
  EXPECT_EQ(bytes[8], '{');
  const auto header = nlohmann::json::parse(bytes.substr(8, n));
  EXPECT_EQ(header["layer.weight"]["dtype"], "F32");
  EXPECT_EQ(header["layer.weight"]["shape"], nlohmann::json({3, 5}));
  EXPECT_EQ(header["scalar"]["shape"], nlohmann::json::array());
  EXPECT_EQ(header["counter"]["dtype"], "I64");
  EXPECT_EQ(header["__metadata__"]["epoch"], "12");
  // The data of "layer.bias" sits at its offsets, little-endian float32.
  const auto offsets = header["layer.bias"]["data_offsets"];
  const std::size_t begin = 8 + n + offsets[0].get<std::size_t>();
  EXPECT_EQ(offsets[1].get<std::size_t>() - offsets[0].get<std::size_t>(), 20u);
  float first = 0.0f;
  std::memcpy(&first, bytes.data() + begin, 4);
  EXPECT_EQ(first, 1.5f);
  // I64 data is 8-byte aligned in the file.
  EXPECT_EQ((8 + n + header["counter"]["data_offsets"][0].get<std::size_t>()) % 8, 0u);
}

TEST(Checkpoint, RoundTripsThroughAFile) {
  test::TempDir dir;
  const Checkpoint original = sample();
  original.save(dir / "c.safetensors");
  EXPECT_FALSE(std::filesystem::exists(dir / "c.safetensors.tmp"));
  const Checkpoint loaded = Checkpoint::load(dir / "c.safetensors");
  EXPECT_EQ(loaded.names(), original.names());
  for (const char* name : {"layer.weight", "layer.bias", "empty"}) {
    const Tensor a = original.tensor(name);
    const Tensor b = loaded.tensor(name);
    ASSERT_TRUE(a.same_shape(b)) << name;
    EXPECT_EQ(std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * 4), 0) << name;
  }
  EXPECT_EQ(loaded.int64("counter"), (std::vector<std::int64_t>{-3, 1LL << 40}));
  EXPECT_EQ(loaded.int64("scalar"), std::vector<std::int64_t>{7});
  EXPECT_TRUE(loaded.shape("scalar").empty());
  EXPECT_EQ(loaded.metadata("epoch"), "12");
  EXPECT_EQ(loaded.serialize(), original.serialize());
}

TEST(Checkpoint, ReadsOtherWritersFiles) {
  // {"a": F32 [2] = {1, -2}, "b": I64 [] = 5}, offsets in the order the file chooses.
  std::string data(16, '\0');
  const float a[2] = {1.0f, -2.0f};
  const std::int64_t b = 5;
  std::memcpy(data.data(), &b, 8);
  std::memcpy(data.data() + 8, a, 8);
  const std::string header =
      R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},)"
      R"("b":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"__metadata__":{"k":"v"}})";
  const Checkpoint c = Checkpoint::parse(foreign_file(header, data));
  EXPECT_TRUE(support::all_close(c.tensor("a"), Tensor::from_rows({{1.0f, -2.0f}}), 0.0f));
  EXPECT_EQ(c.int64("b"), std::vector<std::int64_t>{5});
  EXPECT_EQ(c.metadata("k"), "v");
}

TEST(Checkpoint, TruncatedOrFlippedFilesThrowIoError) {
  const std::string bytes = sample().serialize();
  for (std::size_t keep = 0; keep < bytes.size(); keep += 7)
    EXPECT_THROW(Checkpoint::parse(bytes.substr(0, keep)), IoError) << "kept " << keep;
  // Any single flipped bit in the header or data is caught (JSON, checks or the CRC), except in
  // the CRC's own key name: a renamed key reads as a file without a CRC (as other writers' are).
  const std::size_t key = bytes.find("moegnn.crc32");
  ASSERT_NE(key, std::string::npos);
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    if (at >= key && at < key + 12) continue;
    std::string bad = bytes;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    EXPECT_THROW(Checkpoint::parse(bad), IoError) << "flipped byte " << at;
  }
}

TEST(Checkpoint, MalformedHeadersThrowIoError) {
  const std::string data(8, '\0');
  const auto bad = [&](const std::string& header) {
    EXPECT_THROW(Checkpoint::parse(foreign_file(header, data)), IoError) << header;
  };
  bad(R"(["not an object"])");
  bad(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})");   // unterminated
  bad(R"({"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}})");  // dtype not read
  bad(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})");  // size vs shape
  bad(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})");  // hole at the end
  bad(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})");  // hole at the start
  bad(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
      R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})");  // overlap
  bad(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
      R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})");  // duplicate name
  bad(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})");
  bad(R"({"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}})");
  bad(R"({"a":{"dtype":"F32","shape":[2]}})");
  bad(R"({"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})");
  std::string huge = foreign_file("{}", "");
  huge[7] = 0x7f;  // header size near 2^63
  EXPECT_THROW(Checkpoint::parse(huge), IoError);
  test::TempDir dir;
  EXPECT_THROW(Checkpoint::load(dir / "missing.safetensors"), IoError);
  std::ofstream(dir / "garbage") << "this is not a checkpoint at all";
  EXPECT_THROW(Checkpoint::load(dir / "garbage"), IoError);
}

TEST(Checkpoint, SaveIsAtomicAndReportsFailures) {
  test::TempDir dir;
  sample().save(dir / "c.safetensors");
  Checkpoint other;
  other.add("x", Tensor::ones(1, 1));
  other.save(dir / "c.safetensors");  // replaces the old file whole
  EXPECT_EQ(Checkpoint::load(dir / "c.safetensors").names(), std::vector<std::string>{"x"});
  EXPECT_THROW(other.save(dir / "no_such_folder" / "c.safetensors"), IoError);
}

TEST(Checkpoint, RejectsBadEntries) {
  Checkpoint c;
  c.add("x", Tensor::ones(1, 1));
  EXPECT_THROW(c.add("x", Tensor::ones(1, 1)), InvalidArgument);
  EXPECT_THROW(c.add("", Tensor::ones(1, 1)), InvalidArgument);
  EXPECT_THROW(c.add("__metadata__", Tensor::ones(1, 1)), InvalidArgument);
  EXPECT_THROW(c.add_int64("i", {1, 2, 3}, {2}), InvalidArgument);
  EXPECT_THROW(c.tensor("missing"), InvalidArgument);
  EXPECT_THROW(c.int64("x"), InvalidArgument);
  EXPECT_THROW(c.metadata("missing"), InvalidArgument);
}

}  // namespace
}  // namespace moegnn::training
