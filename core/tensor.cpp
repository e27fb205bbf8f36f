// SPDX-License-Identifier: Apache-2.0
// Tensor construction, views and device transfer.
#include "core/tensor.h"

#include <algorithm>

#include "core/error.h"

namespace moegnn {

Tensor::Tensor() : storage_(Storage::allocate(0, Device::Cpu)) {}

Tensor::Tensor(std::shared_ptr<Storage> storage, Index rows, Index cols)
    : storage_(std::move(storage)), rows_(rows), cols_(cols) {}

Tensor Tensor::empty(Index rows, Index cols, Device device) {
  MOEGNN_CHECK(rows >= 0 && cols >= 0, "negative shape: ", rows, " × ", cols, " vs sizes >= 0");
  const auto bytes = static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols) * sizeof(float);
  return Tensor(Storage::allocate(bytes, device), rows, cols);
}

Tensor Tensor::zeros(Index rows, Index cols, Device device) { return full(rows, cols, 0.0f, device); }

Tensor Tensor::full(Index rows, Index cols, float value, Device device) {
  Tensor host_tensor = empty(rows, cols);
  host_tensor.fill(value);
  return host_tensor.to(device);
}

Tensor Tensor::from_vector(Index rows, Index cols, const std::vector<float>& values) {
  MOEGNN_CHECK(rows >= 0 && cols >= 0 && static_cast<Index>(values.size()) == rows * cols,
               "got ", values.size(), " values vs ", rows, " × ", cols, " = ", rows * cols);
  Tensor t = empty(rows, cols);
  std::copy(values.begin(), values.end(), t.data());
  return t;
}

Tensor Tensor::from_rows(std::initializer_list<std::initializer_list<float>> rows) {
  const Index cols = rows.size() == 0 ? 0 : static_cast<Index>(rows.begin()->size());
  std::vector<float> values;
  for (const auto& row : rows) {
    MOEGNN_CHECK(static_cast<Index>(row.size()) == cols, "ragged rows: a row has ", row.size(),
                 " values vs ", cols, " in the first row");
    values.insert(values.end(), row.begin(), row.end());
  }
  return from_vector(static_cast<Index>(rows.size()), cols, values);
}

Tensor Tensor::from_storage(std::shared_ptr<Storage> storage, Index rows, Index cols) {
  MOEGNN_CHECK(storage != nullptr && rows >= 0 && cols >= 0 &&
                   storage->bytes() >= static_cast<std::size_t>(rows * cols) * sizeof(float),
               "storage of ", storage ? storage->bytes() : 0, " bytes vs ", rows, " × ", cols,
               " floats");
  return Tensor(std::move(storage), rows, cols);
}

std::string Tensor::shape_string() const {
  return detail::concat(rows_, " × ", cols_, " ", to_string(dtype_), " on ", to_string(device()));
}

MatrixMap Tensor::host() {
  MOEGNN_CHECK(device() == Device::Cpu, "tensor is on ", to_string(device()),
               " vs cpu; call .to(Device::Cpu) first");
  return MatrixMap(data(), rows_, cols_);
}

ConstMatrixMap Tensor::host() const {
  MOEGNN_CHECK(device() == Device::Cpu, "tensor is on ", to_string(device()),
               " vs cpu; call .to(Device::Cpu) first");
  return ConstMatrixMap(data(), rows_, cols_);
}

float Tensor::item() const {
  MOEGNN_CHECK(rows_ == 1 && cols_ == 1, "item() needs a 1 × 1 tensor, got ", shape_string());
  if (device() == Device::Cpu) return *data();
  return to(Device::Cpu).item();
}

Tensor Tensor::clone() const {
  Tensor copy = empty(rows_, cols_, device());
  copy.storage_->copy_from(*storage_, static_cast<std::size_t>(size()) * sizeof(float));
  return copy;
}

Tensor Tensor::to(Device target) const {
  if (target == device()) return *this;
  Tensor moved = empty(rows_, cols_, target);
  moved.storage_->copy_from(*storage_, static_cast<std::size_t>(size()) * sizeof(float));
  return moved;
}

void Tensor::copy_from(const Tensor& src) {
  MOEGNN_CHECK_AS(InvalidArgument, "Tensor::copy_from", same_shape(src), "source is ",
                  src.shape_string(), " vs ", shape_string());
  if (storage_ == src.storage_) return;
  storage_->copy_from(*src.storage_, static_cast<std::size_t>(size()) * sizeof(float));
}

Tensor Tensor::reshape(Index rows, Index cols) const {
  MOEGNN_CHECK(rows >= 0 && cols >= 0 && rows * cols == size(), "cannot view ", shape_string(),
               " as ", rows, " × ", cols, ": element counts differ");
  return Tensor(storage_, rows, cols);
}

void Tensor::fill(float value) {
  if (device() == Device::Cpu) {
    std::fill(data(), data() + size(), value);
    return;
  }
  Tensor filled = full(rows_, cols_, value);
  storage_->copy_from(*filled.storage_, static_cast<std::size_t>(size()) * sizeof(float));
}

}  // namespace moegnn
