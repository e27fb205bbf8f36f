// SPDX-License-Identifier: Apache-2.0
// Storage: one untyped, aligned buffer on one device, shared by the Tensors and IndexArrays that view
// it. CPU memory is 64-byte aligned; CUDA memory comes from core/cuda/runtime.h (CUDA builds only).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "core/types.h"

namespace moegnn {

class Storage {
 public:
  // Uninitialised bytes on `device`. Throws Unsupported for CUDA in a CPU-only build.
  static std::shared_ptr<Storage> allocate(std::size_t bytes, Device device);

  // Wraps memory the caller owns (a memory-mapped file, a pinned buffer): `release(data)` runs when
  // the last user is gone. CPU data must be 64-byte aligned (checked: InvalidArgument otherwise).
  static std::shared_ptr<Storage> adopt(void* data, std::size_t bytes, Device device,
                                        std::function<void(void*)> release);

  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  ~Storage();

  void* data() { return data_; }
  const void* data() const { return data_; }
  std::size_t bytes() const { return bytes_; }
  Device device() const { return device_; }

  // Copies `bytes` from `src` (on src.device()) into this storage at `offset`; any device pair.
  void copy_from(const Storage& src, std::size_t bytes, std::size_t src_offset = 0,
                 std::size_t dst_offset = 0);

 private:
  Storage(void* data, std::size_t bytes, Device device) : data_(data), bytes_(bytes), device_(device) {}
  void* data_;
  std::function<void(void*)> release_;  // set for adopted memory
  std::size_t bytes_;
  Device device_;
};

}  // namespace moegnn
