// SPDX-License-Identifier: Apache-2.0
// MAT-file reader (libmatio behind a structural walk) on files written by scipy.io.savemat (plain
// and compressed), their big-endian conversions, MATLAB's narrower storage of double arrays
// (tests/data/make_linkx_fixtures.py), the facebook100 files of ../shared/datasets, and on
// malformed files built here element by element: every class, sparse/char/struct/cell content,
// truncation at every prefix, flipped bytes, and each consistency check.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "datasets/io/mat.h"
#include "tests/datasets/io/io_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets::io {
namespace {

std::filesystem::path linkx_fixture(const std::string& name) {
  return support::test_data_dir() / "linkx" / name;
}

const char* const kVariants[] = {"", "_compressed", "_be"};

std::string variant(const std::string& stem, const char* suffix) { return stem + suffix + ".mat"; }

// ---- A little-endian MAT-file builder for malformed inputs --------------------------------------

std::string le32(std::uint32_t v) {
  std::string out(4, '\0');
  std::memcpy(out.data(), &v, 4);
  return out;
}

std::string element(std::uint32_t type, const std::string& payload) {
  std::string out = le32(type) + le32(static_cast<std::uint32_t>(payload.size())) + payload;
  out.append((8 - payload.size() % 8) % 8, '\0');
  return out;
}

template <typename T>
std::string raw(const std::vector<T>& values) {
  std::string out(values.size() * sizeof(T), '\0');
  if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

// A miMATRIX element: flags (class, flag bits, nzmax), int32 dims, name, then `body`.
std::string matrix(std::uint32_t class_id, const std::vector<std::int32_t>& dims,
                   const std::string& body, const std::string& name = "v", std::uint32_t nzmax = 0,
                   std::uint32_t flags = 0) {
  const std::string head = element(6, le32(class_id | (flags << 8)) + le32(nzmax)) +
                           element(5, raw(dims)) + element(1, name);
  return element(14, head + body);
}

// The 4-byte (small) element format: type and size in the first word, the payload in the second.
std::string small_element(std::uint32_t type, const std::string& payload) {
  std::string out = le32(type | static_cast<std::uint32_t>(payload.size()) << 16) + payload;
  out.resize(8, '\0');
  return out;
}

std::string mat_file(const std::string& elements) {
  std::string header = "MATLAB 5.0 MAT-file, built by mat_test";
  header.resize(116, ' ');
  header.append(8, '\0');
  header += std::string("\x00\x01", 2) + "IM";
  return header + elements;
}

MatFile parse(const std::string& bytes) { return parse_mat(bytes, "test.mat"); }

void expect_error(const std::string& bytes, const std::string& needle) {
  testing::expect_io_error([&] { parse(bytes); }, needle);
}

// ---- Files written by scipy
// -----------------------------------------------------------------------

void expect_numeric(const MatArray& a, NpyDType dtype) {
  SCOPED_TRACE(a.name);
  EXPECT_EQ(a.real.dtype(), dtype);
  EXPECT_EQ(a.dims, (std::vector<Index>{3, 4}));
  const NpyArray& n = a.numeric();
  if (is_floating(dtype)) {
    const Tensor t = n.to_tensor();
    for (Index k = 0; k < 12; ++k) EXPECT_EQ(t.data()[k], testing::float_at(k)) << k;
    return;
  }
  const bool is_unsigned = dtype == NpyDType::UInt8 || dtype == NpyDType::UInt16 ||
                           dtype == NpyDType::UInt32 || dtype == NpyDType::UInt64;
  const std::vector<std::int64_t> v = n.to_int64();
  for (Index k = 0; k < 12; ++k)
    EXPECT_EQ(v[k], is_unsigned ? testing::unsigned_at(k) : testing::signed_at(k)) << k;
}

TEST(Mat, ReadsEveryNumericClassInEveryLayout) {
  for (const char* suffix : kVariants) {
    const std::string name = variant("mat_numeric", suffix);
    SCOPED_TRACE(name);
    const MatFile f = read_mat(linkx_fixture(name));
    EXPECT_EQ(f.big_endian, std::string(suffix) == "_be");
    EXPECT_EQ(f.header.rfind("MATLAB 5.0 MAT-file", 0), 0u) << f.header;
    const std::pair<const char*, NpyDType> classes[] = {
        {"a_f8", NpyDType::Float64}, {"a_f4", NpyDType::Float32}, {"a_i1", NpyDType::Int8},
        {"a_u1", NpyDType::UInt8},   {"a_i2", NpyDType::Int16},   {"a_u2", NpyDType::UInt16},
        {"a_i4", NpyDType::Int32},   {"a_u4", NpyDType::UInt32},  {"a_i8", NpyDType::Int64},
        {"a_u8", NpyDType::UInt64}};
    for (const auto& [var, dtype] : classes) expect_numeric(f.at(var), dtype);
    EXPECT_EQ(f.at("a_u2").mat_class, MatClass::UInt16);
    const MatArray& logical = f.at("logical");
    EXPECT_TRUE(logical.logical);
    EXPECT_EQ(logical.real.dtype(), NpyDType::Bool);
    const std::vector<bool> bits = logical.numeric().to_bool();
    for (Index k = 0; k < 10; ++k) EXPECT_EQ(bits[k], testing::bool_at(k)) << k;
    const MatArray& cube = f.at("cube");
    EXPECT_EQ(cube.dims, (std::vector<Index>{2, 3, 4}));
    const Tensor c = cube.numeric().to_tensor();
    ASSERT_EQ(c.cols(), 12);
    for (Index k = 0; k < 24; ++k) EXPECT_EQ(c.data()[k], testing::float_at(k)) << k;
    EXPECT_EQ(f.at("scalar").scalar(), -3.5);
    EXPECT_EQ(f.at("empty").numel(), 0);
    EXPECT_EQ(f.at("empty").dims, (std::vector<Index>{0, 3}));
    EXPECT_EQ(f.at("row").dims, (std::vector<Index>{1, 6}));  // oned_as="row"
    const MatArray& z = f.at("complex");
    ASSERT_TRUE(z.complex);
    const Tensor re = z.real.to_tensor();
    const Tensor im = z.imag.to_tensor();
    for (Index k = 0; k < 6; ++k) {
      EXPECT_EQ(re.data()[k], testing::float_at(k));
      EXPECT_EQ(im.data()[k], testing::float_at(5 - k));  // the reversed matrix
    }
  }
}

TEST(Mat, ConvertsMatlabsNarrowStorageToTheClass) {
  // facebook100's local_info: class double, elements stored as uint16, compressed.
  const MatFile f = read_mat(linkx_fixture("mat_double_as_uint16.mat"));
  const MatArray& a = f.at("local_info");
  EXPECT_EQ(a.mat_class, MatClass::Double);
  EXPECT_EQ(a.real.dtype(), NpyDType::Float64);
  const auto* v = static_cast<const double*>(a.real.data());
  for (Index k = 0; k < 12; ++k) EXPECT_EQ(v[k], static_cast<double>(testing::unsigned_at(k)));
}

TEST(Mat, ReadsSparseMatricesAsCompressedColumns) {
  for (const char* suffix : kVariants) {
    const std::string name = variant("mat_sparse", suffix);
    SCOPED_TRACE(name);
    const MatFile f = read_mat(linkx_fixture(name));
    const MatSparse& s = f.at("S").sparse_matrix();
    EXPECT_EQ(s.rows, 5);
    EXPECT_EQ(s.cols, 4);
    EXPECT_EQ(s.col_ptr, (std::vector<std::int64_t>{0, 2, 2, 4, 5}));
    EXPECT_EQ(s.row_idx, (std::vector<std::int64_t>{0, 3, 1, 4, 2}));
    EXPECT_EQ(s.values, (std::vector<double>{1.5, -2.0, 3.0, 4.25, 5.0}));
    const MatArray& l = f.at("L");
    EXPECT_TRUE(l.logical);
    EXPECT_EQ(l.sparse.row_idx, (std::vector<std::int64_t>{0, 2, 1, 2}));
    EXPECT_EQ(l.sparse.values, (std::vector<double>{1, 1, 1, 1}));
    EXPECT_EQ(f.at("Z").sparse.col_ptr, (std::vector<std::int64_t>{0, 0, 0}));
    const MatArray& c = f.at("C");
    ASSERT_TRUE(c.complex);
    EXPECT_EQ(c.sparse.values, (std::vector<double>{1.0, 0.0}));
    EXPECT_EQ(c.sparse.imag, (std::vector<double>{2.0, -1.0}));
  }
}

TEST(Mat, ReadsCharStructAndCellArrays) {
  for (const char* suffix : kVariants) {
    const std::string name = variant("mat_text_struct", suffix);
    SCOPED_TRACE(name);
    const MatFile f = read_mat(linkx_fixture(name));
    EXPECT_EQ(f.at("word").text(), "hello");
    EXPECT_EQ(f.at("lines").strings, (std::vector<std::string>{"ab", "cd"}));
    EXPECT_EQ(f.at("accent").text(), "h\xC3\xA9llo");
    const MatArray& st = f.at("st");
    EXPECT_EQ(st.mat_class, MatClass::Struct);
    const Tensor x = st.field("x").numeric().to_tensor();
    EXPECT_EQ(std::vector<float>(x.data(), x.data() + 3), (std::vector<float>{1, 2, 3}));
    EXPECT_EQ(st.field("name").text(), "abc");
    EXPECT_EQ(st.field("inner").field("y").scalar(), 4.0);
    const MatArray& rec = f.at("rec");
    EXPECT_EQ(rec.dims, (std::vector<Index>{1, 2}));
    EXPECT_EQ(rec.field("tag", 0).text(), "first");
    EXPECT_EQ(rec.field("tag", 1).text(), "second");
    EXPECT_EQ(rec.field("id", 1).numeric().to_tensor().data()[1], 9.0f);
    const MatArray& cell = f.at("cell");
    ASSERT_EQ(cell.elements.size(), 3u);
    EXPECT_EQ(cell.elements[1].text(), "text");
    EXPECT_TRUE(cell.elements[2].logical);
    testing::expect_io_error([&] { st.field("missing"); }, "no field 'missing'");
    testing::expect_io_error([&] { rec.field("tag", 2); }, "element 2");
    testing::expect_io_error([&] { cell.numeric(); }, "cell array");
  }
}

TEST(Mat, NamesTheFileAndTheVariablesWhenOneIsMissing) {
  const MatFile f = read_mat(linkx_fixture("mat_sparse.mat"));
  EXPECT_EQ(f.find("nope"), nullptr);
  testing::expect_io_error([&] { f.at("nope"); }, "mat_sparse.mat: no variable 'nope' vs 'S'");
  testing::expect_io_error([&] { f.at("S").numeric(); }, "is a sparse array");
}

// ---- Corrupt files
// ----------------------------------------------------------------------------------

// MAT-files have no end marker: a prefix cut exactly after a variable parses with fewer variables
// (as in scipy); every other prefix throws IoError naming the file.
TEST(Mat, TruncatedFilesThrowOrLoseWholeVariables) {
  for (const char* stem : {"mat_numeric", "mat_sparse", "mat_text_struct"}) {
    for (const char* suffix : kVariants) {
      const std::string name = variant(stem, suffix);
      SCOPED_TRACE(name);
      const std::string bytes = read_file(linkx_fixture(name));
      const std::size_t full = parse(bytes).variables.size();
      for (const std::size_t n : testing::prefix_lengths(bytes.size())) {
        try {
          EXPECT_LT(parse(bytes.substr(0, n)).variables.size(), full) << n;
        } catch (const IoError& e) {
          EXPECT_NE(std::string(e.what()).find("test.mat"), std::string::npos) << e.what();
        } catch (const Unsupported& e) {
          EXPECT_LT(n, 4u) << e.what();  // too short to tell v4 from v5
        }
      }
    }
  }
}

TEST(Mat, FlippedBytesNeverCrash) {
  for (const char* stem : {"mat_numeric", "mat_sparse", "mat_text_struct"}) {
    for (const char* suffix : kVariants) {
      const std::string name = variant(stem, suffix);
      SCOPED_TRACE(name);
      testing::expect_flips_safe(read_file(linkx_fixture(name)), "test.mat",
                                 [](const std::string& b) { parse(b); });
    }
  }
}

TEST(Mat, RejectsBadHeaders) {
  const std::string good = read_file(linkx_fixture("mat_numeric.mat"));
  std::string bad = good;
  bad[0] = 'X';
  expect_error(bad, "bad magic");
  bad = good;
  bad[126] = 'X';
  expect_error(bad, "endian indicator");
  bad = good;
  bad[125] = 3;
  expect_error(bad, "version bytes 3.0");
  EXPECT_THROW(parse(std::string("\0\0\0\0rest of a v4 file", 21)), Unsupported);
  // Version 0x0200 announces HDF5 (v7.3): libmatio hands the file to HDF5, which finds no HDF5
  // superblock in a v5 body.
  std::string hdf5 = good;
  hdf5[125] = 2;
  EXPECT_THROW(parse(hdf5), Unsupported);  // v7.3 is opt-in
  MatOptions v73;
  v73.allow_v73 = true;
  testing::expect_io_error([&] { parse_mat(hdf5, "test.mat", v73); },
                           "test.mat: matio cannot open it as HDF5");
  expect_error(good.substr(0, 100), "header: needs 128 bytes");
}

TEST(Mat, RejectsInconsistentElements) {
  const std::string dbl = element(9, raw(std::vector<double>{1, 2, 3}));
  EXPECT_EQ(parse(mat_file(matrix(6, {1, 3}, dbl))).at("v").numel(), 3);  // the builder is sound
  expect_error(mat_file(matrix(6, {2, 3}, dbl)),
               "test.mat:v: byte 192: real part: 24 bytes of type 9 vs 6 elements");
  expect_error(mat_file(matrix(6, {1, -3}, dbl)), "dimension -3");
  expect_error(mat_file(matrix(99, {1, 3}, dbl)), "array class 99");
  expect_error(mat_file(element(5, raw(std::vector<std::int32_t>{1, 2}))), "top-level element");
  // libmatio converts the stored type to the class with C casts (no range check): -1 stored as
  // int32 for a uint8 array reads as 255.
  const MatFile cast =
      parse(mat_file(matrix(9, {1, 1}, element(5, raw(std::vector<std::int32_t>{-1})))));
  EXPECT_EQ(cast.at("v").numeric().to_int64(), (std::vector<std::int64_t>{255}));
  // A name tag declaring 4 GiB inside a 100-byte variable.
  const std::string huge_name = element(6, le32(6) + le32(0)) +
                                element(5, raw(std::vector<std::int32_t>{1, 1})) + le32(1) +
                                le32(0xFFFFFF00) + std::string(8, 'n') + dbl;
  expect_error(mat_file(element(14, huge_name)), "array name: needs 4294967040 bytes vs");
  EXPECT_THROW(parse(mat_file(matrix(3, {1, 1}, ""))), Unsupported);  // a MATLAB object
  // A compressed element whose zlib data is cut.
  std::string zipped = mat_file(le32(15) + le32(6) + std::string("\x78\x9c\x01\x02\x03\x04", 6));
  expect_error(zipped, "compressed element");
}

TEST(Mat, RejectsBadSparseIndices) {
  auto sparse = [](std::vector<std::int32_t> ir, std::vector<std::int32_t> jc,
                   std::vector<double> pr, std::int32_t rows) {
    const std::int32_t cols = static_cast<std::int32_t>(jc.size()) - 1;
    return mat_file(matrix(5, {rows, cols},
                           element(5, raw(ir)) + element(5, raw(jc)) + element(9, raw(pr)), "S",
                           static_cast<std::uint32_t>(ir.size())));
  };
  const MatSparse ok = parse(sparse({0, 2}, {0, 1, 2}, {1, 2}, 3)).at("S").sparse_matrix();
  EXPECT_EQ(ok.row_idx, (std::vector<std::int64_t>{0, 2}));
  expect_error(sparse({0, 3}, {0, 1, 2}, {1, 2}, 3), "row index 3 at entry 1 vs [0, 3)");
  expect_error(sparse({0, 2}, {0, 2, 1}, {1, 2}, 3), "jc decreases at column 1");
  expect_error(sparse({0, 2}, {1, 1, 2}, {1, 2}, 3), "jc[0] is 1");
  expect_error(sparse({0}, {0, 1, 2}, {1, 2}, 3), "ir has 1 entries vs 2 non-zeros");
  expect_error(sparse({0, 2}, {0, 1, 2}, {1}, 3), "pr has 1 values vs 2");
}

TEST(Mat, BoundsNestingAndHugeStructs) {
  std::string nested = matrix(6, {0, 0}, element(9, ""), "");
  for (int level = 0; level < 40; ++level) nested = matrix(1, {1, 1}, nested, "c");
  expect_error(mat_file(nested), "nested more than 32 levels");
  // 2^31 - 1 struct elements of one field and no data: rejected before any allocation.
  const std::string fields =
      small_element(5, raw(std::vector<std::int32_t>{4})) + element(1, std::string("abc\0", 4));
  expect_error(mat_file(matrix(2, {0x7FFFFFFF, 1}, fields)), "nested arrays need at least");
}

// Allocation bounds: the sizes a file declares are checked before libmatio allocates for them, and
// the error names the file and the variable.
TEST(Mat, RejectsDeclaredSizesTheFileCannotBack) {
  // A cell of 2^31 - 1 elements held in no bytes.
  expect_error(mat_file(matrix(1, {0x7FFFFFFF, 1}, "", "c")),
               "test.mat:c: byte 184: 2147483647 nested arrays need at least");
  // A sparse matrix whose array flags declare nzmax = 2^32 - 1 (the data is 2 entries): matio's
  // info would size it at 48 GiB; rejected before the data is read.
  const std::string body = element(5, raw(std::vector<std::int32_t>{0, 2})) +
                           element(5, raw(std::vector<std::int32_t>{0, 1, 2})) +
                           element(9, raw(std::vector<double>{1, 2}));
  expect_error(mat_file(matrix(5, {3, 2}, body, "S", 0xFFFFFFFF)),
               "test.mat:S: declares 51539607552 bytes of data vs the limit of 268435456");
  // A char array of 2^31 - 1 rows and no columns: no data, but one string per row.
  expect_error(mat_file(matrix(4, {0x7FFFFFFF, 0}, element(16, ""), "w")),
               "test.mat:w: declares 68719476704 bytes of data vs the limit");
  MatOptions tight;
  tight.max_inflated_bytes = 1000;
  testing::expect_io_error(
      [&] {
        parse_mat(mat_file(matrix(6, {1, 200}, element(9, std::string(1600, '\0')))), "t.mat",
                  tight);
      },
      "t.mat:v: declares 1600 bytes of data vs the limit of 1000");
}

// Version 7.3 (HDF5) files read through libmatio's HDF5 support (tests/data/make_mat_v73.c), on
// request only (MatOptions::allow_v73).
TEST(Mat, ReadsVersion73Files) {
  EXPECT_THROW(read_mat(linkx_fixture("mat_v73.mat")), Unsupported);  // opt-in
  MatOptions v73;
  v73.allow_v73 = true;
  const MatFile f = read_mat(linkx_fixture("mat_v73.mat"), v73);
  EXPECT_EQ(f.header.rfind("MATLAB 7.3 MAT-file", 0), 0u) << f.header;
  const MatArray& a = f.at("a");
  EXPECT_EQ(a.dims, (std::vector<Index>{3, 4}));
  const auto* v = static_cast<const double*>(a.numeric().data());
  for (Index r = 0; r < 3; ++r)
    for (Index c = 0; c < 4; ++c) EXPECT_EQ(v[r * 4 + c], static_cast<double>(c * 3 + r));
  EXPECT_EQ(f.at("i").numeric().to_int64(), (std::vector<std::int64_t>{-1, 2, 3}));
  EXPECT_EQ(f.at("word").text(), "hello");
  const MatSparse& s = f.at("S").sparse_matrix();
  EXPECT_EQ(s.col_ptr, (std::vector<std::int64_t>{0, 2, 2, 4, 5}));
  EXPECT_EQ(s.row_idx, (std::vector<std::int64_t>{0, 3, 1, 4, 2}));
  EXPECT_EQ(s.values, (std::vector<double>{1.5, -2.0, 3.0, 4.25, 5.0}));
  // parse_mat hands HDF5 the bytes through a memfd.
  EXPECT_EQ(parse_mat(read_file(linkx_fixture("mat_v73.mat")), "t.mat", v73).variables.size(), 4u);
}

// The facebook100 files LINKX loads (two compressed variables: the sparse adjacency A and the
// double-class local_info stored as narrower integers).
TEST(Mat, ReadsFacebook100Files) {
  MOEGNN_REQUIRE_DATASET(dir, "facebook100");
  // Shapes and nnz as scipy.io.loadmat reports them.
  const std::tuple<const char*, Index, std::int64_t> schools[] = {
      {"Johns Hopkins55.mat", 5180, 373172}, {"Cornell5.mat", 18660, 1581554}};
  for (const auto& [file, nodes, nnz] : schools) {
    SCOPED_TRACE(file);
    const MatFile f = read_mat(dir / file);
    const MatSparse& a = f.at("A").sparse_matrix();
    EXPECT_EQ(a.rows, nodes);
    EXPECT_EQ(a.cols, nodes);
    EXPECT_EQ(static_cast<Index>(a.col_ptr.size()), nodes + 1);
    EXPECT_EQ(a.col_ptr.back(), nnz);
    EXPECT_EQ(static_cast<std::int64_t>(a.row_idx.size()), nnz);
    const MatArray& info = f.at("local_info");
    EXPECT_EQ(info.mat_class, MatClass::Double);
    EXPECT_EQ(info.dims, (std::vector<Index>{nodes, 7}));
    const auto* x = static_cast<const double*>(info.numeric().data());
    EXPECT_TRUE(
        std::all_of(x, x + nodes * 7, [](double d) { return d >= 0 && d == std::floor(d); }));
  }
}

}  // namespace
}  // namespace moegnn::datasets::io
