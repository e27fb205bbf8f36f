// SPDX-License-Identifier: Apache-2.0
// Tensor: a 2-D, row-major float32 matrix on one device. Copies share storage (like a handle);
// clone() copies. Ops never write into their inputs; extra axes are folded into rows at the call site
// (N·d × C for sheaf stalks, E × H for attention heads).
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "core/storage.h"
#include "core/types.h"

namespace moegnn {

class Tensor {
 public:
  Tensor();  // 0 × 0 on the CPU

  // Uninitialised rows × cols on `device`. Throws InvalidArgument on a negative size.
  static Tensor empty(Index rows, Index cols, Device device = Device::Cpu);
  static Tensor zeros(Index rows, Index cols, Device device = Device::Cpu);
  static Tensor full(Index rows, Index cols, float value, Device device = Device::Cpu);
  static Tensor ones(Index rows, Index cols, Device device = Device::Cpu) {
    return full(rows, cols, 1.0f, device);
  }
  static Tensor scalar(float value) { return full(1, 1, value); }
  // Copies a CPU Eigen matrix (any storage order).
  template <typename Derived>
  static Tensor from(const Eigen::MatrixBase<Derived>& m) {
    Tensor t = empty(m.rows(), m.cols());
    t.host() = m;
    return t;
  }
  // rows × cols from row-major values; throws InvalidArgument when values.size() != rows * cols.
  static Tensor from_vector(Index rows, Index cols, const std::vector<float>& values);
  static Tensor from_rows(std::initializer_list<std::initializer_list<float>> rows);
  // A view of rows × cols floats at the start of `storage` (e.g. adopted mmap memory); no copy.
  // Throws InvalidArgument when the storage is too small.
  static Tensor from_storage(std::shared_ptr<Storage> storage, Index rows, Index cols);

  Index rows() const { return rows_; }
  Index cols() const { return cols_; }
  Index size() const { return rows_ * cols_; }
  bool empty() const { return size() == 0; }
  Device device() const { return storage_->device(); }
  DType dtype() const { return dtype_; }
  bool same_shape(const Tensor& other) const { return rows_ == other.rows_ && cols_ == other.cols_; }
  std::string shape_string() const;  // "3 × 4 float32 on cpu"

  // Raw pointer to the first element on the tensor's device.
  float* data() { return static_cast<float*>(storage_->data()); }
  const float* data() const { return static_cast<const float*>(storage_->data()); }
  // Eigen view of CPU data. Throws InvalidArgument when the tensor is not on the CPU.
  MatrixMap host();
  ConstMatrixMap host() const;
  // First element, for 1 × 1 tensors (losses). Throws InvalidArgument otherwise.
  float item() const;

  Tensor clone() const;
  Tensor to(Device device) const;  // shares storage when already there
  // Overwrites this tensor's values with src's (same shape, either device; the storage stays, so
  // every handle sharing it sees the new values). Throws InvalidArgument on a shape mismatch.
  void copy_from(const Tensor& src);
  // The same storage seen as rows × cols with rows * cols == size(); no copy.
  Tensor reshape(Index rows, Index cols) const;
  void fill(float value);
  bool shares_storage_with(const Tensor& other) const { return storage_ == other.storage_; }
  // Whether no other tensor shares this one's storage (so writing it in place is invisible).
  bool sole_owner() const { return storage_ != nullptr && storage_.use_count() == 1; }

 private:
  Tensor(std::shared_ptr<Storage> storage, Index rows, Index cols);
  std::shared_ptr<Storage> storage_;
  Index rows_ = 0;
  Index cols_ = 0;
  DType dtype_ = DType::Float32;
};

}  // namespace moegnn
