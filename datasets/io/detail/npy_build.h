// SPDX-License-Identifier: Apache-2.0
// Shared by the .npy reader and the pickle reader (pickled ndarrays carry the same dtype strings
// and raw bytes): parse a NumPy dtype string and turn raw file bytes into an NpyArray in C order
// and native byte order.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "datasets/io/detail/byte_reader.h"
#include "datasets/io/npy_array.h"

namespace moegnn::datasets::io::detail {

struct NpyDescr {
  NpyDType dtype = NpyDType::Float64;
  std::size_t item_size = 8;
  bool big_endian = false;
};

// Parses "<f4", "|b1", ">i8", "=u2", "<U7", ... Throws Unsupported (object, bytes, complex, half,
// datetime, structured) or IoError (malformed), positioned at `at`.
NpyDescr parse_descr(std::string_view descr, const ByteReader& at);

// The array of `shape` whose elements are `data`, laid out per `descr` and `fortran_order`:
// byteswapped to little-endian, transposed to C order, bools normalised to 0/1. Throws IoError
// (positioned at `at`) unless data holds exactly product(shape) elements.
NpyArray build_array(const NpyDescr& descr, bool fortran_order, std::vector<Index> shape,
                     std::string_view data, std::string source, const ByteReader& at);

}  // namespace moegnn::datasets::io::detail
