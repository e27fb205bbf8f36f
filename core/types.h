// SPDX-License-Identifier: Apache-2.0
// Vocabulary types shared by every module: index type, devices, dtypes and the Eigen aliases.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string_view>

namespace moegnn {

using Index = std::int64_t;

enum class Device { Cpu, Cuda };
// Float32 is the only dtype with kernels; the tag lets bf16/fp16 storage follow without an API change.
enum class DType { Float32, BFloat16, Float16, Int32, Int64 };

std::string_view to_string(Device device);
std::string_view to_string(DType dtype);
std::size_t size_of(DType dtype);

// The CPU workhorse: row-major on purpose (a row is a node's features; CSR aggregation gathers rows;
// NumPy/OGB files are row-major). This alias is the only place the layout is spelled.
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<Matrix, Eigen::Aligned64>;
using ConstMatrixMap = Eigen::Map<const Matrix, Eigen::Aligned64>;

// Bytes every CPU buffer is aligned to (one cache line, one AVX-512 register).
inline constexpr std::size_t kAlignment = 64;

}  // namespace moegnn
