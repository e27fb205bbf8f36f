// SPDX-License-Identifier: Apache-2.0
// NpyArray: an n-dimensional array as read from a NumPy .npy/.npz member, a pickled ndarray or a
// PyTorch tensor: shape, element type and the elements in C (row-major) order and native (little-
// endian) byte order; the readers byteswap big-endian data and transpose Fortran-order data on
// load. Conversions to the library's types happen on request: a float32 Tensor (extra axes folded
// into columns), int64/int32 vectors, a bool vector, or UTF-8 strings for fixed-width unicode
// arrays.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/storage.h"
#include "core/tensor.h"
#include "core/types.h"

namespace moegnn::datasets::io {

// Element types the readers accept. Unicode is NumPy's fixed-width `<U<n>` (UTF-32 code units).
enum class NpyDType {
  Bool,
  Int8,
  UInt8,
  Int16,
  UInt16,
  Int32,
  UInt32,
  Int64,
  UInt64,
  Float32,
  Float64,
  Unicode
};

std::string_view to_string(NpyDType dtype);  // "int64", "float32", "unicode", ...
bool is_integer(NpyDType dtype);             // signed or unsigned integer (not bool)
bool is_floating(NpyDType dtype);
std::size_t element_size(NpyDType dtype);  // bytes per element; 0 for Unicode (width varies)

class NpyArray {
 public:
  NpyArray();  // a 0-d float64 array holding 0

  // Takes `data` (C order, native byte order) of product(shape) elements of `item_size` bytes each
  // (item_size is implied except for Unicode). `source` names the file in messages. Throws IoError
  // when the sizes disagree, a dimension is negative, or the non-zero dimensions multiply past
  // 2^63.
  NpyArray(NpyDType dtype, std::vector<Index> shape, std::shared_ptr<Storage> data,
           std::string source, std::size_t item_size = 0);

  NpyDType dtype() const { return dtype_; }
  const std::vector<Index>& shape() const { return shape_; }
  Index ndim() const { return static_cast<Index>(shape_.size()); }
  Index size() const { return size_; }  // number of elements; 1 for a 0-d array
  std::size_t item_size() const { return item_size_; }
  const std::string& source() const { return source_; }
  const void* data() const { return data_->data(); }
  std::string shape_string() const;  // "(140, 1433) int32"

  // The 2-D view used by to_tensor(): rows = shape[0], cols = product of the other dimensions
  // (0-d -> 1 × 1, 1-d of n -> n × 1, (a, b, c) -> a × b·c).
  Index rows() const;
  Index cols() const;

  // rows() × cols() float32. Float32 data is shared with the array (no copy); other numeric dtypes
  // are converted (int64 beyond 2^24 loses precision, as in NumPy). Throws Unsupported for Unicode.
  Tensor to_tensor() const;
  // All elements in C order. Bool and integer dtypes only: throws IoError for floating-point data
  // and for uint64 values above int64's range, Unsupported for Unicode.
  std::vector<std::int64_t> to_int64() const;
  // As to_int64(), and throws IoError for values outside int32's range.
  std::vector<std::int32_t> to_int32() const;
  // Elements != 0. Bool and integer dtypes only (IoError for floating-point data).
  std::vector<bool> to_bool() const;
  // Unicode arrays only (IoError otherwise): each element as UTF-8, trailing NULs removed. Throws
  // IoError for code points that are not valid Unicode scalar values.
  std::vector<std::string> to_strings() const;

 private:
  NpyDType dtype_ = NpyDType::Float64;
  std::vector<Index> shape_;
  Index size_ = 1;
  std::size_t item_size_ = 8;
  std::shared_ptr<Storage> data_;
  std::string source_;
};

}  // namespace moegnn::datasets::io
