// SPDX-License-Identifier: Apache-2.0
// Allocation bounds of the format readers: one bomb per container kind, built here in memory from
// a few bytes to a few MB (a 2 MB deflate stream of 2 GiB of zeros as a .npz member and as a gzip
// file, a pickle whose sparse `_shape` was edited, .npy and MAT headers declaring huge shapes, a
// MAT compressed element declaring and inflating to 2 GiB). Each must be rejected with IoError
// naming the source and the field, before the memory it asks for is touched: the process's peak
// resident memory grows by far less than the bomb.
#include <string>

#include <gtest/gtest.h>

#include "datasets/io/file.h"
#include "datasets/io/mat.h"
#include "datasets/io/npy.h"
#include "datasets/io/npz.h"
#include "datasets/io/pickle.h"
#include "datasets/io/py_convert.h"
#include "datasets/io/zip_archive.h"
#include "tests/datasets/io/bomb_util.h"
#include "tests/datasets/io/io_test_util.h"

namespace moegnn::datasets::io {
namespace {

using testing::expect_io_error;
using testing::peak_rss_mib;

constexpr std::size_t kBombMiB = 2048;  // 2 GiB of zeros in about 2 MB
constexpr double kAllowedMiB = 200;     // far below any bomb; the inputs themselves are ~2 MB

TEST(AllocationBounds, NpzMemberOverTheLimitIsNotInflated) {
  const std::string bytes = testing::zip_bomb("train_mask.npy", kBombMiB);
  ASSERT_LT(bytes.size(), std::size_t{3} << 20);
  const double before = peak_rss_mib();
  expect_io_error([&] { parse_npz(bytes, "split.npz"); },
                  "split.npz: byte 44: entry 'train_mask.npy' declares 2147483648 uncompressed "
                  "bytes vs the limit of 268435456");
  EXPECT_LT(peak_rss_mib() - before, kAllowedMiB);
  // A caller limit applies the same way, and a member inflating past its declared size stops.
  const std::string small = testing::zip_bomb("a.npy", 4);
  expect_io_error([&] { parse_npz(small, "s.npz", {.max_member_bytes = 1 << 20}); },
                  "declares 4194304 uncompressed bytes vs the limit of 1048576");
  std::string lying = small;  // declare 1 MiB in both headers; the data holds 4 MiB
  const std::size_t central = lying.size() - 22 - (46 + 5);
  for (const std::size_t at : {std::size_t{22}, central + 24})
    lying.replace(at, 4, testing::le(std::uint64_t{1} << 20, 4));
  const ZipArchive zip(lying, "lying.npz");
  expect_io_error([&] { zip.extract(zip.entries().front()); }, "expands beyond the declared");
}

TEST(AllocationBounds, GzipInflatesNoFurtherThanItsLimit) {
  // An honest ISIZE (2 GiB) over the limit: rejected before inflating anything.
  const std::string honest = testing::gzip_bomb(kBombMiB, 0x80000000u);
  double before = peak_rss_mib();
  expect_io_error([&] { gunzip(honest, "edge.csv.gz"); },
                  "edge.csv.gz: the last gzip member declares 2147483648 bytes (ISIZE) vs the "
                  "limit of 268435456");
  EXPECT_LT(peak_rss_mib() - before, kAllowedMiB);
  // A forged ISIZE: inflation stops at the limit (here a caller's 8 MiB).
  const std::string forged = testing::gzip_bomb(64, 100);
  before = peak_rss_mib();
  expect_io_error([&] { gunzip(forged, "f.gz", std::size_t{8} << 20); },
                  "f.gz: decompressed data exceeds 8388608 bytes vs the limit");
  EXPECT_LT(peak_rss_mib() - before, 64.0);
  // The limit is what the caller allows, not what the data needs: 4 MiB passes with 8 MiB.
  EXPECT_EQ(gunzip(testing::gzip_bomb(4, 4u << 20), "ok.gz", std::size_t{8} << 20).size(),
            std::size_t{4} << 20);
}

TEST(AllocationBounds, PickleShapeIsCheckedAgainstTheStoredEntries) {
  // The 5-byte edit of the issue: py2_csr.pkl's _shape (3, 4) becomes (3, 2^30 - 1), which
  // would densify to 12 GiB of float32 from a 572-byte file.
  std::string bytes = testing::fixture_bytes("py2_csr.pkl");
  const std::size_t at = bytes.find("K\x04\x86", bytes.find("_shape"));
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 3, std::string("J\xff\xff\xff\x3f\x86", 6));
  const PyValue matrix = unpickle(bytes, "x.pkl");
  EXPECT_EQ(sparse_to_csr(matrix).num_cols(), (Index{1} << 30) - 1);  // the Csr itself is cheap
  const double before = peak_rss_mib();
  expect_io_error([&] { to_dense_tensor(matrix); },
                  "x.pkl: dense form of the shape 3 × 1073741823 float32 needs 3 × 1073741823 × 4 "
                  "bytes vs at most 268435456");
  EXPECT_LT(peak_rss_mib() - before, kAllowedMiB);
  // An explicit limit is honoured both ways.
  const PyValue original = unpickle(testing::fixture_bytes("py2_csr.pkl"), "y.pkl");
  EXPECT_EQ(to_dense_tensor(original).cols(), 4);
  expect_io_error([&] { to_dense_tensor(original, 16); }, "vs at most 16");
}

std::string npy_with_header(const std::string& dict, const std::string& data) {
  std::string header = dict;
  header.resize(117, ' ');  // 10 + 118 = 128 bytes before the data, as NumPy aligns it
  header += '\n';
  return std::string("\x93NUMPY\x01\x00", 8) + testing::le(header.size(), 2) + header + data;
}

TEST(AllocationBounds, NpyShapeIsCheckedAgainstTheBytesPresent) {
  const double before = peak_rss_mib();
  expect_io_error(
      [] {
        parse_npy(npy_with_header("{'descr': '<f8', 'fortran_order': False, "
                                  "'shape': (1099511627776, 1024), }",
                                  std::string(64, '\0')),
                  "big.npy");
      },
      "big.npy: byte 128: array data holds 64 bytes vs 1125899906842624 elements × 8 bytes");
  expect_io_error(
      [] {
        parse_npy(npy_with_header("{'descr': '<f4', 'fortran_order': True, "
                                  "'shape': (4294967296, 4294967296, 16), }",
                                  ""),
                  "overflow.npy");
      },
      "overflow.npy: byte 128: shape overflows");
  EXPECT_LT(peak_rss_mib() - before, kAllowedMiB);
}

// ---- MAT: a little-endian file built element by element (as mat_test.cpp) ----------------------
std::string element(std::uint32_t type, const std::string& payload) {
  std::string out = testing::le(type, 4) + testing::le(payload.size(), 4) + payload;
  out.append((8 - payload.size() % 8) % 8, '\0');
  return out;
}

std::string mat_file(const std::string& elements) {
  std::string header = "MATLAB 5.0 MAT-file, built by bomb_test";
  header.resize(116, ' ');
  header.append(8, '\0');
  return header + std::string("\x00\x01", 2) + "IM" + elements;
}

// A zlib stream (as miCOMPRESSED holds) of a miMATRIX tag declaring `size` bytes, followed by
// `mib` MiB of zeros; the stream never ends (the reader must stop first).
std::string zlib_tag_then_zeros(std::uint32_t size, std::size_t mib) {
  const std::string tag = testing::le(14, 4) + testing::le(size, 4);
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string first(64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(tag.data()));
  z.avail_in = 8;
  z.next_out = reinterpret_cast<Bytef*>(first.data());
  z.avail_out = 64;
  deflate(&z, Z_FULL_FLUSH);
  first.resize(64 - z.avail_out);
  deflateEnd(&z);
  return std::string("\x78\x9c", 2) + first + testing::zero_deflate(mib);
}

TEST(AllocationBounds, MatDimsAndCompressedElementsAreBounded) {
  // A 2^31 × 2^31 double array backed by 8 bytes.
  const std::string head = element(6, testing::le(6, 4) + testing::le(0, 4)) +
                           element(5, testing::le(0x7fffffff, 4) + testing::le(0x7fffffff, 4)) +
                           element(1, "v");
  const std::string dims = mat_file(element(14, head + element(9, std::string(8, '\0'))));
  const double before = peak_rss_mib();
  expect_io_error([&] { parse_mat(dims, "dims.mat"); }, "dims.mat:v: byte ");
  expect_io_error([&] { parse_mat(dims, "dims.mat"); }, "vs 4611686014132420609 elements × 8");
  // A compressed element whose inflated tag declares a 2 GiB miMATRIX (and that inflates to
  // 2 GiB of zeros): rejected once the tag is out, long before the zeros.
  const std::string bomb = mat_file(element(15, zlib_tag_then_zeros(0x7ffffff0, kBombMiB)));
  ASSERT_LT(bomb.size(), std::size_t{3} << 20);
  expect_io_error([&] { parse_mat(bomb, "bomb.mat"); },
                  "bomb.mat: byte 128: compressed element declares a variable of 2147483632 bytes "
                  "vs the limit of 268435456 inflated bytes");
  // Within the limit, the element still stops at what its tag declares (64 + 8 + padding).
  const std::string small = mat_file(element(15, zlib_tag_then_zeros(64, 16)));
  expect_io_error([&] { parse_mat(small, "t.mat"); },
                  "t.mat: byte 128: compressed element inflates past the 79 bytes its tag "
                  "declares");
  EXPECT_LT(peak_rss_mib() - before, kAllowedMiB);
}

}  // namespace
}  // namespace moegnn::datasets::io
