// SPDX-License-Identifier: Apache-2.0
// MAT-file reader on libmatio (the format of `save -v7`/`-v7.3` and of scipy.io.savemat): version
// 5/7 files in either byte order, compressed or not, and version 7.3 (HDF5) files, with these
// array classes: double, single, (u)int8-64, logical, complex (real and imaginary parts), sparse
// (as compressed sparse columns), char (UTF-8/UTF-16 data, one string per row) and nested cell and
// struct arrays. Numeric data arrives in the array's class (MATLAB stores e.g. a double array as
// uint16 when that is lossless, as facebook100's local_info; libmatio converts with C casts) and is
// transposed from MATLAB's column-major order to C order. Before libmatio sees a v5/v7 file, its
// structure is walked and every declared size checked against the bytes that hold it; every
// variable's declared data size is checked against the limit before its data is read. MATLAB
// objects, function handles, v4 files and (unless MatOptions::allow_v73) v7.3 files throw
// Unsupported; malformed input throws IoError naming
// the file and the variable (and, for structural faults, the byte offset; inside a compressed
// variable: the element's offset and the offset in its inflated bytes).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "datasets/io/npy_array.h"

namespace moegnn::datasets::io {

// MATLAB's mxClassID values, in their order (mxCELL_CLASS = 1 ... mxUINT64_CLASS = 15).
enum class MatClass {
  Cell = 1,
  Struct,
  Object,
  Char,
  Sparse,
  Double,
  Single,
  Int8,
  UInt8,
  Int16,
  UInt16,
  Int32,
  UInt32,
  Int64,
  UInt64
};

std::string_view to_string(MatClass mat_class);  // "double", "sparse", "struct", ...

// A sparse matrix as MATLAB stores it: compressed sparse columns.
struct MatSparse {
  Index rows = 0;
  Index cols = 0;
  std::vector<std::int64_t> col_ptr{};  // cols + 1 entries, col_ptr[0] = 0, non-decreasing
  std::vector<std::int64_t> row_idx{};  // col_ptr[cols] entries in [0, rows)
  std::vector<double> values{};         // real parts (1 for a logical matrix), as row_idx
  std::vector<double> imag{};           // imaginary parts of a complex matrix, else empty
};

// One variable (or one cell/struct element) of a MAT-file. Which members are filled depends on
// mat_class; the accessors below check it.
struct MatArray {
  std::string name{};
  MatClass mat_class = MatClass::Double;
  bool logical = false;       // a logical (bool) array: `real` has dtype Bool
  bool complex = false;       // `imag` (or sparse.imag) holds the imaginary parts
  std::vector<Index> dims{};  // MATLAB dimensions (at least 2)
  std::string source{};       // "<file>:<variable>" for messages
  NpyArray real{};            // numeric and logical classes: the elements in C order, shape = dims
  NpyArray imag{};            // complex numeric arrays only
  MatSparse sparse{};         // Sparse
  std::vector<std::string> strings{};      // Char: one UTF-8 string per row (2-D char arrays)
  std::vector<std::string> field_names{};  // Struct
  // Struct: element e's field f at e · field_names.size() + f; Cell: the elements. Elements are
  // numbered in MATLAB's column-major order.
  std::vector<MatArray> elements{};

  Index numel() const;  // product of dims

  // The numeric (or logical) elements. Throws IoError naming the variable for other classes.
  const NpyArray& numeric() const;
  // The sparse matrix. Throws IoError naming the variable for other classes.
  const MatSparse& sparse_matrix() const;
  // The text of a char array with at most one row. Throws IoError otherwise.
  const std::string& text() const;
  // Struct element `element`'s field `field`. Throws IoError naming the variable for another
  // class, a missing field or an element out of range.
  const MatArray& field(std::string_view field, Index element = 0) const;
  // Numeric scalar (1 element) as a double. Throws IoError otherwise.
  double scalar() const;
};

struct MatFile {
  std::string header{};  // the descriptive text of the header, trailing blanks removed
  bool big_endian = false;
  std::vector<MatArray> variables{};  // in file order
  std::string source{};

  // The variable named `name`, or nullptr. The last one wins when a name repeats (as loadmat).
  const MatArray* find(std::string_view name) const;
  // As find, throwing IoError that names the file, the missing variable and the ones present.
  const MatArray& at(std::string_view name) const;
};

struct MatOptions {
  // Limit on the inflated size of one compressed element (a guard against deflate bombs; zlib's
  // own ratio limit is about 1000:1); 0: io::default_inflate_limit(file size), i.e.
  // max(256 MiB, 64 × the file). Inflation also stops at the size the element's tag declares.
  // The same limit bounds the data one variable declares (class size × elements, sparse nzmax)
  // and, divided by 1024, the number of arrays (nested cell and struct elements included).
  std::size_t max_inflated_bytes = 0;
  // Read version 7.3 files (HDF5, through libmatio). Off by default: HDF5 1.10 is not hardened
  // against corrupt files (fuzzing finds heap overflows inside it within a minute), and no check of
  // ours can vouch for an HDF5 file's inner structure. Turn it on for files you trust.
  bool allow_v73 = false;
};

// Parses a whole MAT-file held in memory (handed to libmatio through a memfd, or for v7.3 a private
// temporary file); `source` names it in messages. Throws IoError (bad header, truncation,
// inconsistent lengths or sizes, corrupt compressed data, data over the limit, sparse indices out
// of range, failures libmatio or HDF5 report, with their text) or Unsupported (v4 files, v7.3
// files without MatOptions::allow_v73, objects, function handles). Calls into libmatio are serialised across threads.
MatFile parse_mat(std::string_view bytes, std::string source, const MatOptions& options = {});

// Reads `path` (see parse_mat).
MatFile read_mat(const std::filesystem::path& path, const MatOptions& options = {});

}  // namespace moegnn::datasets::io
