// SPDX-License-Identifier: Apache-2.0
// The MAT-file reader's private layers. libmatio decodes the data (mat.cpp, mat_convert.cpp), but
// it trusts the sizes a file declares: name lengths, cell and struct element counts, sparse index
// counts and nesting depth become allocations and recursion before anything checks them. So a
// structural walk (mat_check.cpp, on the element layer of mat_element.cpp) checks the header, every
// tag against the bytes that hold it (compressed variables inflated under a limit), every
// dimension product against its data and the nesting depth, before matio sees the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "datasets/io/detail/byte_reader.h"
#include "datasets/io/mat.h"

struct matvar_t;  // matio.h, included by the .cpp files only

namespace moegnn::datasets::io::detail {

// MAT-file data types (miINT8 = 1 ... miUTF32 = 18).
enum MiType : std::uint32_t {
  kMiInt8 = 1,
  kMiUInt8 = 2,
  kMiInt16 = 3,
  kMiUInt16 = 4,
  kMiInt32 = 5,
  kMiUInt32 = 6,
  kMiSingle = 7,
  kMiDouble = 9,
  kMiInt64 = 12,
  kMiUInt64 = 13,
  kMiMatrix = 14,
  kMiCompressed = 15,
  kMiUtf8 = 16,
  kMiUtf16 = 17,
  kMiUtf32 = 18
};

constexpr int kMaxMatDepth = 32;

// Bytes per element of a numeric or text data type; 0 for others.
std::size_t mi_size(std::uint32_t type);

// One data element: its type, its payload (a view into the reader's bytes) and the offset of its
// payload in the reader, for messages.
struct MatElement {
  std::uint32_t type = 0;
  std::string_view data{};
  std::size_t data_pos = 0;
  bool small = false;  // the 4-byte format: type and size share the first word
};

// A 32-bit word in the file's byte order.
std::uint32_t mat_u32(ByteReader& r, bool big_endian, const char* what);

// Reads one tagged element (full or small format) and skips the padding to the next 8-byte
// boundary. Throws IoError on truncation.
MatElement read_mat_element(ByteReader& r, bool big_endian, const char* what);

// What the structural walk found: the header text, the byte order, whether the file is v7.3
// (HDF5: only the header was checked) and the number of top-level variables.
struct MatLayout {
  std::string header{};
  bool big_endian = false;
  bool hdf5 = false;
  std::size_t variables = 0;
};

// Checks a v5/v7 file's structure (see the top of this file); compressed variables inflate to at
// most `inflate_limit` bytes each. Throws IoError "read_mat: <source>: byte <pos>: ..." (naming
// the variable once its name is read) or Unsupported (v4 files, objects, function handles).
MatLayout check_mat_layout(std::string_view bytes, const std::string& source,
                           std::size_t inflate_limit);

// Bytes the data of `v` will take once read (from its class, dims and nnz; nested arrays summed),
// saturating at UINT64_MAX.
std::uint64_t declared_data_bytes(const matvar_t& v);

// A variable matio read, converted: class data to the array's class type in C order, sparse as CSC,
// char rows to UTF-8, cells and structs recursively. `source` names it in messages. Throws IoError
// for data matio left inconsistent (sparse indices out of range, missing data) or Unsupported.
MatArray convert_matvar(const matvar_t& v, const std::string& source, int depth);

}  // namespace moegnn::datasets::io::detail
