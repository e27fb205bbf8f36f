// SPDX-License-Identifier: Apache-2.0
// .npy reader: every dtype in both byte orders, Fortran order, ranks 0-3, header versions, unicode,
// unsupported dtypes, and corrupt files.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "datasets/io/npy.h"
#include "tests/datasets/io/io_test_util.h"

namespace moegnn::datasets::io {
namespace {

using testing::fixture;
using testing::fixture_bytes;

struct DTypeCase {
  const char* file;
  NpyDType dtype;
};

void expect_formula(const NpyArray& a) {
  const Tensor t = a.to_tensor();
  ASSERT_EQ(t.rows(), a.rows());
  ASSERT_EQ(t.cols(), a.cols());
  if (is_floating(a.dtype())) {
    for (Index k = 0; k < a.size(); ++k)
      EXPECT_EQ(t.data()[k], static_cast<float>(testing::float_at(k))) << k;
    return;
  }
  const std::vector<std::int64_t> ints = a.to_int64();
  for (Index k = 0; k < a.size(); ++k) {
    const auto i = static_cast<std::size_t>(k);
    const std::int64_t expected =
        a.dtype() == NpyDType::Bool ? testing::bool_at(k)
        : is_integer(a.dtype()) && (a.dtype() == NpyDType::UInt8 || a.dtype() == NpyDType::UInt16 ||
                                    a.dtype() == NpyDType::UInt32 || a.dtype() == NpyDType::UInt64)
            ? testing::unsigned_at(k)
            : testing::signed_at(k);
    EXPECT_EQ(ints[i], expected) << "element " << k;
    EXPECT_EQ(t.data()[k], static_cast<float>(expected));
  }
}

TEST(Npy, ReadsEveryDtypeInBothByteOrders) {
  const std::vector<DTypeCase> cases = {
      {"b1", NpyDType::Bool},       {"i1", NpyDType::Int8},       {"u1", NpyDType::UInt8},
      {"lt_i2", NpyDType::Int16},   {"gt_i2", NpyDType::Int16},   {"lt_u2", NpyDType::UInt16},
      {"gt_u2", NpyDType::UInt16},  {"lt_i4", NpyDType::Int32},   {"gt_i4", NpyDType::Int32},
      {"lt_u4", NpyDType::UInt32},  {"gt_u4", NpyDType::UInt32},  {"lt_i8", NpyDType::Int64},
      {"gt_i8", NpyDType::Int64},   {"lt_u8", NpyDType::UInt64},  {"gt_u8", NpyDType::UInt64},
      {"lt_f4", NpyDType::Float32}, {"gt_f4", NpyDType::Float32}, {"lt_f8", NpyDType::Float64},
      {"gt_f8", NpyDType::Float64}};
  for (const DTypeCase& c : cases) {
    SCOPED_TRACE(c.file);
    const NpyArray a = read_npy(fixture(std::string("npy_") + c.file + ".npy"));
    EXPECT_EQ(a.dtype(), c.dtype);
    EXPECT_EQ(a.shape(), (std::vector<Index>{3, 4}));
    expect_formula(a);
  }
}

TEST(Npy, TransposesFortranOrder) {
  for (const char* file :
       {"npy_fortran_lt_f4.npy", "npy_fortran_gt_i8.npy", "npy_fortran_lt_f8.npy",
        "npy_fortran_b1.npy", "npy_fortran_3d_lt_i4.npy", "npy_3d_lt_f4.npy"}) {
    SCOPED_TRACE(file);
    const NpyArray a = read_npy(fixture(file));
    expect_formula(a);  // values in C order, as NumPy shows them
  }
  const NpyArray cube = read_npy(fixture("npy_fortran_3d_lt_i4.npy"));
  EXPECT_EQ(cube.shape(), (std::vector<Index>{2, 3, 4}));
  EXPECT_EQ(cube.rows(), 2);
  EXPECT_EQ(cube.cols(), 12);  // trailing dimensions fold into columns
}

TEST(Npy, ReadsZeroOneAndEmptyShapes) {
  const NpyArray scalar = read_npy(fixture("npy_0d_lt_i8.npy"));
  EXPECT_TRUE(scalar.shape().empty());
  EXPECT_EQ(scalar.size(), 1);
  EXPECT_EQ(scalar.to_int64(), (std::vector<std::int64_t>{-3}));
  EXPECT_EQ(scalar.to_tensor().rows(), 1);
  const NpyArray vec = read_npy(fixture("npy_1d_lt_f4.npy"));
  EXPECT_EQ(vec.rows(), 5);
  EXPECT_EQ(vec.cols(), 1);
  expect_formula(vec);
  const NpyArray empty = read_npy(fixture("npy_empty_lt_f4.npy"));
  EXPECT_EQ(empty.shape(), (std::vector<Index>{0, 3}));
  EXPECT_EQ(empty.to_tensor().rows(), 0);
  EXPECT_EQ(empty.to_tensor().cols(), 3);
  EXPECT_TRUE(read_npy(fixture("npy_empty_1d_lt_i8.npy")).to_int64().empty());
}

// Found by the fuzz target: a Fortran-order array with a zero axis beside huge ones has no
// element, and its transposition must not multiply the huge axes (signed overflow under UBSan).
TEST(Npy, FortranOrderWithAZeroAxisBesideHugeOnesIsRefusedCleanly) {
  std::string header =
      "{'descr': '<f4', 'fortran_order': True, 'shape': (3709551615, 4294967296, 0, 0), }";
  header.append(117 - header.size(), ' ');
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  // Before the fix UBSan aborted inside the transposition; now the dimension check speaks.
  EXPECT_THROW(parse_npy(bytes, "zero-axis.npy"), IoError);
}

TEST(Npy, ReadsHeaderVersionsTwoAndThreeAndPython2Headers) {
  expect_formula(read_npy(fixture("npy_v2_lt_f4.npy")));
  expect_formula(read_npy(fixture("npy_v3_lt_f4.npy")));
  const NpyArray py2 = read_npy(fixture("npy_py2_header.npy"));
  EXPECT_EQ(py2.shape(), (std::vector<Index>{2, 3}));
  expect_formula(py2);
}

TEST(Npy, ConvertsWithRangeChecks) {
  const NpyArray large = read_npy(fixture("npy_large_i8.npy"));
  EXPECT_EQ(large.to_int64(),
            (std::vector<std::int64_t>{std::int64_t{1} << 40, -(std::int64_t{1} << 62), INT64_MAX,
                                       INT64_MIN}));
  EXPECT_THROW(large.to_int32(), IoError);
  const NpyArray u8 = read_npy(fixture("npy_gt_u8.npy"));
  EXPECT_EQ(u8.to_int32()[1], 7);
  const NpyArray mask = read_npy(fixture("npy_b1.npy"));
  const std::vector<bool> bits = mask.to_bool();
  for (std::size_t k = 0; k < bits.size(); ++k)
    EXPECT_EQ(bits[k], testing::bool_at(static_cast<std::int64_t>(k)));
  EXPECT_THROW(read_npy(fixture("npy_lt_f4.npy")).to_int64(), IoError);  // floats are not ids
  EXPECT_THROW(read_npy(fixture("npy_lt_f8.npy")).to_bool(), IoError);
}

TEST(Npy, SharesFloat32DataWithTheTensor) {
  const NpyArray a = read_npy(fixture("npy_lt_f4.npy"));
  EXPECT_EQ(static_cast<const void*>(a.to_tensor().data()), a.data());
}

TEST(Npy, ReadsUnicodeAsStringsOnly) {
  const NpyArray s = read_npy(fixture("npy_unicode.npy"));
  EXPECT_EQ(s.dtype(), NpyDType::Unicode);
  EXPECT_EQ(s.to_strings(), (std::vector<std::string>{"ab", "h\xc3\xa9llo", "\xe2\x9c\x93", ""}));
  EXPECT_EQ(read_npy(fixture("npy_unicode_be.npy")).to_strings(),
            (std::vector<std::string>{"xy", "\xc3\xa9"}));
  EXPECT_THROW(s.to_tensor(), Unsupported);
  EXPECT_THROW(s.to_int64(), Unsupported);
  EXPECT_THROW(read_npy(fixture("npy_lt_i4.npy")).to_strings(), IoError);
}

TEST(Npy, RejectsUnsupportedDtypes) {
  for (const char* file : {"npy_object.npy", "npy_half.npy", "npy_structured.npy"}) {
    SCOPED_TRACE(file);
    try {
      read_npy(fixture(file));
      ADD_FAILURE() << "no Unsupported";
    } catch (const Unsupported& e) {
      EXPECT_NE(std::string(e.what()).find(file), std::string::npos) << e.what();
    }
  }
}

TEST(Npy, RejectsBadMagicAndHugeShapes) {
  std::string bytes = fixture_bytes("npy_lt_f4.npy");
  std::string bad = bytes;
  bad[1] = 'X';
  testing::expect_io_error([&] { parse_npy(bad, "bad.npy"); }, "bad.npy: byte 0: bad magic");
  // A shape claiming 10^12 elements over 48 bytes of data: rejected before any allocation.
  std::string huge = bytes;
  const std::size_t at = huge.find("(3, 4)");
  ASSERT_NE(at, std::string::npos);
  huge.replace(at, 6, "(999999999999,)");
  huge.erase(huge.find('\n') - 9, 9);  // keep the header length field right
  testing::expect_io_error([&] { parse_npy(huge, "huge.npy"); }, "huge.npy");
  std::string overflow = bytes;
  overflow.replace(overflow.find("(3, 4)"), 6, "(99999999999, 99999999999)");
  overflow.erase(overflow.find('\n') - 20, 20);
  testing::expect_io_error([&] { parse_npy(overflow, "overflow.npy"); }, "overflows");
  std::string long_header = bytes;
  long_header[8] = '\xff';
  long_header[9] = '\xff';
  testing::expect_io_error([&] { parse_npy(long_header, "len.npy"); }, "truncated");
}

TEST(Npy, EveryTruncationThrowsIoError) {
  for (const char* file :
       {"npy_gt_f8.npy", "npy_fortran_3d_lt_i4.npy", "npy_v3_lt_f4.npy", "npy_unicode.npy"}) {
    SCOPED_TRACE(file);
    testing::expect_prefixes_fail(fixture_bytes(file), "cut.npy",
                                  [](const std::string& b) { parse_npy(b, "cut.npy"); });
  }
}

TEST(Npy, FlippedBytesNeverCrash) {
  testing::expect_flips_safe(fixture_bytes("npy_fortran_gt_i8.npy"), "flip.npy",
                             [](const std::string& b) { parse_npy(b, "flip.npy").to_tensor(); });
}

}  // namespace
}  // namespace moegnn::datasets::io
