// SPDX-License-Identifier: Apache-2.0
// NumPy .npy reader: format versions 1.0, 2.0 and 3.0; dtypes bool, (u)int8/16/32/64, float32/64 in
// either byte order, and fixed-width unicode (`<U<n>`, readable as strings only). Fortran-order
// data is transposed to C order and big-endian data byteswapped on load. Any rank is accepted; the
// NpyArray keeps the full shape and its to_tensor() folds dimensions after the first into columns.
// Object (pickled), bytes, complex, half, datetime and structured dtypes throw Unsupported in
// parse_npy; object arrays are read by parse_npy_object.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "datasets/io/npy_array.h"
#include "datasets/io/py_value.h"

namespace moegnn::datasets::io {

// Parses a whole .npy file held in memory; `source` names it in messages. Throws IoError (bad
// magic, bad version, malformed header, wrong data length, truncation) or Unsupported (dtype), each
// naming the source and the byte offset.
NpyArray parse_npy(std::string_view bytes, std::string source);

// Reads `path` (see parse_npy).
NpyArray read_npy(const std::filesystem::path& path);

// A .npy file of dtype object ('|O', saved with allow_pickle=True, as LINKX's
// splits/<name>-splits.npy): the pickled ndarray after the header, decoded by the pickle reader
// (no code runs) into an object NdArray whose elements are reached through size()/operator[].
// Throws IoError as parse_npy does, when the dtype is not '|O', and when the pickle is not an
// object array of the header's shape (pickle errors name "<source> (pickle at byte N)").
PyValue parse_npy_object(std::string_view bytes, std::string source);

// Reads `path` (see parse_npy_object).
PyValue read_npy_object(const std::filesystem::path& path);

}  // namespace moegnn::datasets::io
