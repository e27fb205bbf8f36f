// SPDX-License-Identifier: Apache-2.0
// Tests of graph/io.h: round trips in both load modes (weighted, unweighted, empty, rectangular),
// the mapping outliving the file, atomic replacement, and the corruption suite: truncation at every
// length, every single byte flipped, bad magic, a future version, appended bytes, and a structurally
// invalid payload with a valid checksum.
#include "graph/io.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "graph/generators.h"
#include "tests/graph/fixtures.h"

namespace moegnn::graph {
namespace {

namespace fs = std::filesystem;
using fixtures::csr_from_rows;
using fixtures::same_csr;
using ::testing::HasSubstr;

class CsrFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("moegnn_io_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::vector<char> read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  static void write_bytes(const fs::path& p, const std::vector<char>& bytes) {
    // A fresh file each time: truncating an existing one makes ext4 flush it on close (slow).
    fs::remove(p);
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  // The IoError message load_csr gives for `bytes`, or "" when it loads.
  std::string load_error(const std::vector<char>& bytes, LoadMode mode = LoadMode::Mmap,
                         bool verify = true) {
    const fs::path p = dir_ / "mutated.bin";
    write_bytes(p, bytes);
    try {
      load_csr(p, mode, verify);
    } catch (const IoError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

// "tiny_weighted": 0 <-(1.5)- 2, 1 <-(2.5)- 0, 1 <-(-3)- 2, 2 <-(4)- 2.
Csr tiny_weighted() { return csr_from_rows({{2}, {0, 2}, {2}}, -1, {{1.5f}, {2.5f, -3}, {4}}); }

TEST_F(CsrFile, RoundTripsInBothModes) {
  RmatOptions o;
  o.num_nodes = 3000;
  o.num_edges = 20000;
  const Csr plain = rmat(o);
  const Csr weighted = plain.with_values(Tensor::full(plain.num_edges(), 1, 0.25f));
  const Csr rect = csr_from_rows({{0, 4}, {}, {3}}, 5);
  for (const Csr& g : {plain, weighted, rect, Csr(), tiny_weighted()}) {
    const fs::path p = dir_ / "g.bin";
    save_csr(g, p);
    EXPECT_TRUE(same_csr(load_csr(p, LoadMode::Mmap), g));
    EXPECT_TRUE(same_csr(load_csr(p, LoadMode::Read), g));
  }
}

TEST_F(CsrFile, LayoutIsAsDocumented) {
  const fs::path p = dir_ / "g.bin";
  save_csr(tiny_weighted(), p);
  const auto bytes = read_bytes(p);
  EXPECT_EQ(std::string(bytes.data(), 8), std::string("MOEGNNG\0", 8));
  std::uint32_t version = 0;
  std::memcpy(&version, bytes.data() + 8, 4);
  EXPECT_EQ(version, kCsrFileVersion);
  // 128-byte header, row_ptr 4 × 8 bytes at 128, col_idx at 192 (4 ids), values at 256 (4 floats).
  EXPECT_EQ(bytes.size(), 256u + 16u);
  float v = 0;
  std::memcpy(&v, bytes.data() + 256 + 8, 4);
  EXPECT_EQ(v, -3.0f);
}

TEST_F(CsrFile, MappedGraphOutlivesTheFileAndItsCopies) {
  const fs::path p = dir_ / "g.bin";
  const Csr g = tiny_weighted();
  save_csr(g, p);
  Csr loaded = load_csr(p, LoadMode::Mmap);
  fs::remove(p);  // the mapping keeps the pages
  const Csr copy = loaded;
  loaded = Csr();
  EXPECT_TRUE(same_csr(copy, g));
  EXPECT_TRUE(same_csr(copy.transpose(), g.transpose()));
}

TEST_F(CsrFile, SaveReplacesAtomicallyAndLeavesNoTemporaries) {
  const fs::path p = dir_ / "g.bin";
  save_csr(fixtures::diamond(), p);
  save_csr(tiny_weighted(), p);
  EXPECT_TRUE(same_csr(load_csr(p), tiny_weighted()));
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1);
  EXPECT_THAT([&] { save_csr(tiny_weighted(), dir_ / "missing" / "g.bin"); },
              ::testing::ThrowsMessage<IoError>(HasSubstr("cannot create")));
}

TEST_F(CsrFile, EveryTruncationIsRejected) {
  const fs::path p = dir_ / "g.bin";
  save_csr(tiny_weighted(), p);
  const auto bytes = read_bytes(p);
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    const std::vector<char> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(len));
    const std::string error = load_error(cut, len % 2 == 0 ? LoadMode::Mmap : LoadMode::Read);
    ASSERT_THAT(error, HasSubstr("mutated.bin")) << len;
    ASSERT_THAT(error, ::testing::AnyOf(HasSubstr("truncated"), HasSubstr("for the header")))
        << len << ": " << error;
  }
}

TEST_F(CsrFile, EveryFlippedByteIsRejected) {
  const fs::path p = dir_ / "g.bin";
  save_csr(tiny_weighted(), p);
  const auto bytes = read_bytes(p);
  // Header fields, header padding, row_ptr, padding, col_idx, padding, values: every byte.
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x10);
    ASSERT_NE(load_error(bad), "") << "flipped byte " << i << " loaded";
  }
}

TEST_F(CsrFile, NamesWhatIsWrong) {
  const fs::path p = dir_ / "g.bin";
  save_csr(tiny_weighted(), p);
  const auto bytes = read_bytes(p);
  auto bad = bytes;
  bad[0] = 'X';
  EXPECT_THAT(load_error(bad), HasSubstr("bad magic: \"XOEGNNG\\x00\""));
  bad = bytes;
  const std::uint32_t future = 2;
  std::memcpy(bad.data() + 8, &future, 4);
  EXPECT_THAT(load_error(bad), HasSubstr("format version 2 vs 1; written by a newer moegnn"));
  bad = bytes;
  bad[200] ^= 1;  // inside col_idx
  EXPECT_THAT(load_error(bad), HasSubstr("checksum mismatch"));
  bad = bytes;
  bad.push_back(0);
  EXPECT_THAT(load_error(bad), HasSubstr("file is 273 bytes vs 272 in its header"));
  // col_idx[0] = 7 with the checksum unchecked: the structure check still catches it.
  bad = bytes;
  const std::int32_t out_of_range = 7;
  std::memcpy(bad.data() + 192, &out_of_range, 4);
  EXPECT_THAT(load_error(bad, LoadMode::Read, false), HasSubstr("invalid graph structure"));
  EXPECT_THAT([&] { load_csr(dir_ / "absent.bin"); },
              ::testing::ThrowsMessage<IoError>(HasSubstr("cannot open")));
  EXPECT_THAT([&] { load_csr(dir_); }, ::testing::ThrowsMessage<IoError>(HasSubstr("not a regular file")));
}

TEST_F(CsrFile, OffsetsOutOfRangeAreRejectedWithoutChecksum) {
  const fs::path p = dir_ / "g.bin";
  save_csr(tiny_weighted(), p);
  const auto bytes = read_bytes(p);
  // col_idx_offset (header byte 56) pointed past the end, and misaligned.
  for (const std::uint64_t offset : {std::uint64_t{4096}, std::uint64_t{196}, ~std::uint64_t{0}}) {
    auto bad = bytes;
    std::memcpy(bad.data() + 56, &offset, 8);
    EXPECT_THAT(load_error(bad, LoadMode::Mmap, false), HasSubstr("col_idx at byte")) << offset;
  }
  // A huge nnz must not overflow the size arithmetic.
  auto bad = bytes;
  const std::int64_t huge = std::int64_t{1} << 62;
  std::memcpy(bad.data() + 32, &huge, 8);
  EXPECT_NE(load_error(bad, LoadMode::Mmap, false), "");
}

}  // namespace
}  // namespace moegnn::graph
