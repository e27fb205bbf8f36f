// SPDX-License-Identifier: Apache-2.0
// IndexArray<T>: a 1-D int32 or int64 array on one device (CSR offsets and columns, node id lists,
// labels). Copies share storage; clone() copies. The CPU side is viewed as a std::span.
#pragma once

#include <concepts>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "core/error.h"
#include "core/storage.h"

namespace moegnn {

template <typename T>
  requires std::same_as<T, std::int32_t> || std::same_as<T, std::int64_t>
class IndexArray {
 public:
  IndexArray() : IndexArray(0) {}
  explicit IndexArray(Index size, Device device = Device::Cpu)
      : storage_(Storage::allocate(static_cast<std::size_t>(checked(size)) * sizeof(T), device)),
        size_(size) {}
  IndexArray(std::span<const T> values)  // NOLINT(google-explicit-constructor): a copy from CPU data
      : IndexArray(static_cast<Index>(values.size())) {
    if (!values.empty()) std::memcpy(data(), values.data(), values.size() * sizeof(T));
  }
  IndexArray(const std::vector<T>& values) : IndexArray(std::span<const T>(values)) {}  // NOLINT
  IndexArray(std::initializer_list<T> values)
      : IndexArray(std::span<const T>(values.begin(), values.size())) {}

  // A view of `size` values at the start of `storage` (e.g. adopted mmap memory); no copy.
  IndexArray(std::shared_ptr<Storage> storage, Index size) : storage_(std::move(storage)), size_(size) {
    MOEGNN_CHECK_AS(InvalidArgument, "IndexArray", size >= 0 && storage_ != nullptr &&
                        storage_->bytes() >= static_cast<std::size_t>(size) * sizeof(T),
                    "storage of ", storage_ ? storage_->bytes() : 0, " bytes vs ", size, " values");
  }

  static constexpr DType dtype() { return sizeof(T) == 4 ? DType::Int32 : DType::Int64; }
  Index size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Device device() const { return storage_->device(); }
  T* data() { return static_cast<T*>(storage_->data()); }
  const T* data() const { return static_cast<const T*>(storage_->data()); }

  // CPU view; throws InvalidArgument when the array lives on another device.
  std::span<T> host() {
    check_cpu();
    return {data(), static_cast<std::size_t>(size_)};
  }
  std::span<const T> host() const {
    check_cpu();
    return {data(), static_cast<std::size_t>(size_)};
  }
  T operator[](Index i) const { return host()[static_cast<std::size_t>(i)]; }
  std::vector<T> to_vector() const {
    auto h = to(Device::Cpu).host();
    return {h.begin(), h.end()};
  }

  IndexArray to(Device target) const {
    if (target == device()) return *this;
    IndexArray moved(size_, target);
    moved.storage_->copy_from(*storage_, static_cast<std::size_t>(size_) * sizeof(T));
    return moved;
  }
  IndexArray clone() const {
    IndexArray copy(size_, device());
    copy.storage_->copy_from(*storage_, static_cast<std::size_t>(size_) * sizeof(T));
    return copy;
  }

 private:
  static Index checked(Index size) {
    MOEGNN_CHECK_AS(InvalidArgument, "IndexArray", size >= 0, "negative size: ", size, " vs >= 0");
    return size;
  }
  void check_cpu() const {
    MOEGNN_CHECK_AS(InvalidArgument, "IndexArray::host", device() == Device::Cpu, "array is on ",
                    to_string(device()), " vs cpu; call .to(Device::Cpu) first");
  }
  std::shared_ptr<Storage> storage_;
  Index size_ = 0;
};

using IndexArray32 = IndexArray<std::int32_t>;
using IndexArray64 = IndexArray<std::int64_t>;

}  // namespace moegnn
