// SPDX-License-Identifier: Apache-2.0
// NpyArray construction and conversions. Element loops dispatch on the dtype once, outside the
// loop, so each conversion is a plain typed loop the compiler can vectorise.
#include "datasets/io/npy_array.h"

#include <cstring>
#include <limits>
#include <sstream>

#include "core/error.h"
#include "datasets/io/detail/byte_reader.h"
#include "datasets/io/detail/utf8.h"

namespace moegnn::datasets::io {

std::size_t element_size(NpyDType dtype) {
  switch (dtype) {
  case NpyDType::Bool:
  case NpyDType::Int8:
  case NpyDType::UInt8:
    return 1;
  case NpyDType::Int16:
  case NpyDType::UInt16:
    return 2;
  case NpyDType::Int32:
  case NpyDType::UInt32:
  case NpyDType::Float32:
    return 4;
  case NpyDType::Int64:
  case NpyDType::UInt64:
  case NpyDType::Float64:
    return 8;
  case NpyDType::Unicode:
    return 0;
  }
  return 0;
}

namespace {

// Calls fn(const T* values) with the data viewed as its element type (Unicode excluded).
template <typename Fn>
auto visit_numeric(NpyDType dtype, const void* data, Fn&& fn) {
  switch (dtype) {
  case NpyDType::Bool:
  case NpyDType::UInt8:
    return fn(static_cast<const std::uint8_t*>(data));
  case NpyDType::Int8:
    return fn(static_cast<const std::int8_t*>(data));
  case NpyDType::Int16:
    return fn(static_cast<const std::int16_t*>(data));
  case NpyDType::UInt16:
    return fn(static_cast<const std::uint16_t*>(data));
  case NpyDType::Int32:
    return fn(static_cast<const std::int32_t*>(data));
  case NpyDType::UInt32:
    return fn(static_cast<const std::uint32_t*>(data));
  case NpyDType::Int64:
    return fn(static_cast<const std::int64_t*>(data));
  case NpyDType::UInt64:
    return fn(static_cast<const std::uint64_t*>(data));
  case NpyDType::Float32:
    return fn(static_cast<const float*>(data));
  case NpyDType::Float64:
  case NpyDType::Unicode:
    break;
  }
  return fn(static_cast<const double*>(data));
}


}  // namespace

std::string_view to_string(NpyDType dtype) {
  switch (dtype) {
  case NpyDType::Bool:
    return "bool";
  case NpyDType::Int8:
    return "int8";
  case NpyDType::UInt8:
    return "uint8";
  case NpyDType::Int16:
    return "int16";
  case NpyDType::UInt16:
    return "uint16";
  case NpyDType::Int32:
    return "int32";
  case NpyDType::UInt32:
    return "uint32";
  case NpyDType::Int64:
    return "int64";
  case NpyDType::UInt64:
    return "uint64";
  case NpyDType::Float32:
    return "float32";
  case NpyDType::Float64:
    return "float64";
  case NpyDType::Unicode:
    return "unicode";
  }
  return "?";
}

bool is_integer(NpyDType dtype) {
  return dtype != NpyDType::Bool && dtype != NpyDType::Unicode && !is_floating(dtype);
}

bool is_floating(NpyDType dtype) {
  return dtype == NpyDType::Float32 || dtype == NpyDType::Float64;
}

NpyArray::NpyArray() : data_(Storage::allocate(8, Device::Cpu)) {
  std::memset(data_->data(), 0, 8);
}

NpyArray::NpyArray(NpyDType dtype, std::vector<Index> shape, std::shared_ptr<Storage> data,
                   std::string source, std::size_t item_size)
    : dtype_(dtype),
      shape_(std::move(shape)),
      data_(std::move(data)),
      source_(std::move(source)) {
  item_size_ = dtype == NpyDType::Unicode ? item_size : element_size(dtype);
  MOEGNN_CHECK_AS(IoError, "NpyArray",
                  item_size_ > 0 && (dtype != NpyDType::Unicode || item_size_ % 4 == 0), source_,
                  ": item size ", item_size_, " vs a positive size (a multiple of 4 for unicode)");
  // The product of the non-zero dimensions must fit Index, so rows() and cols() cannot overflow
  // even for an empty array.
  std::uint64_t count = 1;
  std::uint64_t nonzero = 1;
  for (const Index d : shape_) {
    MOEGNN_CHECK_AS(
        IoError, "NpyArray",
        d >= 0 &&
            detail::checked_mul(nonzero, static_cast<std::uint64_t>(d > 0 ? d : 1), nonzero) &&
            nonzero <= static_cast<std::uint64_t>(std::numeric_limits<Index>::max()),
        source_, ": bad dimension ", d, " vs a non-negative size whose product fits 63 bits");
    count *= static_cast<std::uint64_t>(d);
  }
  std::uint64_t bytes = 0;
  MOEGNN_CHECK_AS(IoError, "NpyArray",
                  data_ != nullptr && detail::checked_mul(count, item_size_, bytes) &&
                      bytes <= data_->bytes(),
                  source_, ": data holds ", data_ ? data_->bytes() : 0, " bytes vs ", count,
                  " elements of ", item_size_, " bytes");
  size_ = static_cast<Index>(count);
}

std::string NpyArray::shape_string() const {
  std::ostringstream s;
  s << '(';
  for (std::size_t i = 0; i < shape_.size(); ++i) s << (i ? ", " : "") << shape_[i];
  if (shape_.size() == 1) s << ',';
  s << ") " << to_string(dtype_);
  return s.str();
}

Index NpyArray::rows() const { return shape_.empty() ? 1 : shape_[0]; }

Index NpyArray::cols() const {
  Index c = 1;
  for (std::size_t i = 1; i < shape_.size(); ++i) c *= shape_[i];
  return c;
}

Tensor NpyArray::to_tensor() const {
  MOEGNN_CHECK_AS(Unsupported, "NpyArray::to_tensor", dtype_ != NpyDType::Unicode, source_, ": a ",
                  shape_string(), " array has no float32 form; use to_strings()");
  if (dtype_ == NpyDType::Float32) return Tensor::from_storage(data_, rows(), cols());
  Tensor out = Tensor::empty(rows(), cols());
  float* dst = out.data();
  const Index n = size_;
  visit_numeric(dtype_, data_->data(), [&](const auto* src) {
    for (Index i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]);
  });
  return out;
}

std::vector<std::int64_t> NpyArray::to_int64() const {
  MOEGNN_CHECK_AS(Unsupported, "NpyArray::to_int64", dtype_ != NpyDType::Unicode, source_, ": a ",
                  shape_string(), " array has no integer form");
  MOEGNN_CHECK_AS(IoError, "NpyArray::to_int64", !is_floating(dtype_), source_, ": array is ",
                  shape_string(), " vs an integer or bool dtype; use to_tensor() for real values");
  std::vector<std::int64_t> out(static_cast<std::size_t>(size_));
  if (dtype_ == NpyDType::UInt64) {
    const auto* src = static_cast<const std::uint64_t*>(data_->data());
    for (Index i = 0; i < size_; ++i) {
      MOEGNN_CHECK_AS(IoError, "NpyArray::to_int64",
                      src[i] <=
                          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()),
                      source_, ": element ", i, " = ", src[i], " vs the int64 range");
    }
  }
  visit_numeric(dtype_, data_->data(), [&](const auto* src) {
    for (Index i = 0; i < size_; ++i)
      out[static_cast<std::size_t>(i)] = static_cast<std::int64_t>(src[i]);
  });
  return out;
}

std::vector<std::int32_t> NpyArray::to_int32() const {
  const std::vector<std::int64_t> wide = to_int64();
  std::vector<std::int32_t> out(wide.size());
  for (std::size_t i = 0; i < wide.size(); ++i) {
    MOEGNN_CHECK_AS(IoError, "NpyArray::to_int32",
                    wide[i] >= std::numeric_limits<std::int32_t>::min() &&
                        wide[i] <= std::numeric_limits<std::int32_t>::max(),
                    source_, ": element ", i, " = ", wide[i], " vs the int32 range");
    out[i] = static_cast<std::int32_t>(wide[i]);
  }
  return out;
}

std::vector<bool> NpyArray::to_bool() const {
  MOEGNN_CHECK_AS(IoError, "NpyArray::to_bool", dtype_ != NpyDType::Unicode && !is_floating(dtype_),
                  source_, ": array is ", shape_string(), " vs a bool or integer dtype");
  std::vector<bool> out(static_cast<std::size_t>(size_));
  visit_numeric(dtype_, data_->data(), [&](const auto* src) {
    for (Index i = 0; i < size_; ++i) out[static_cast<std::size_t>(i)] = src[i] != 0;
  });
  return out;
}

std::vector<std::string> NpyArray::to_strings() const {
  MOEGNN_CHECK_AS(IoError, "NpyArray::to_strings", dtype_ == NpyDType::Unicode, source_,
                  ": array is ", shape_string(), " vs a unicode dtype");
  const std::size_t chars = item_size_ / 4;
  const auto* src = static_cast<const std::uint8_t*>(data_->data());
  std::vector<std::string> out(static_cast<std::size_t>(size_));
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::size_t len = chars;
    const std::uint8_t* item = src + i * item_size_;
    std::uint32_t cps[1] = {0};
    auto code = [&](std::size_t k) {
      std::memcpy(cps, item + 4 * k, 4);  // stored little-endian (the readers byteswap on load)
      return cps[0];
    };
    while (len > 0 && code(len - 1) == 0) --len;
    for (std::size_t k = 0; k < len; ++k) {
      const std::uint32_t cp = code(k);
      MOEGNN_CHECK_AS(IoError, "NpyArray::to_strings",
                      cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF), source_, ": element ", i,
                      " holds code point ", cp, " vs a Unicode scalar value");
      detail::append_utf8(out[i], cp);
    }
  }
  return out;
}

}  // namespace moegnn::datasets::io
