// SPDX-License-Identifier: Apache-2.0
// Storage allocation and cross-device copies.
#include "core/storage.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#include "core/config.h"
#include "core/cuda/allocator.h"
#include "core/cuda/runtime.h"
#include "core/error.h"
#include "core/host_cache.h"

namespace moegnn {
std::string_view to_string(Device device) { return device == Device::Cpu ? "cpu" : "cuda"; }

std::string_view to_string(DType dtype) {
  switch (dtype) {
    case DType::Float32: return "float32";
    case DType::BFloat16: return "bfloat16";
    case DType::Float16: return "float16";
    case DType::Int32: return "int32";
    case DType::Int64: return "int64";
  }
  return "?";
}

std::size_t size_of(DType dtype) {
  switch (dtype) {
    case DType::Float32: case DType::Int32: return 4;
    case DType::BFloat16: case DType::Float16: return 2;
    case DType::Int64: return 8;
  }
  return 0;
}

std::shared_ptr<Storage> Storage::allocate(std::size_t bytes, Device device) {
  if (device == Device::Cpu) {
    if (bytes >= host_cache::min_bytes()) {
      // Large buffers come from the host cache (reused, not faulted in and zeroed again).
      std::size_t capacity = 0;
      void* data = host_cache::acquire(bytes, kAlignment, &capacity);
      auto storage = std::shared_ptr<Storage>(new Storage(data, bytes, device));
      storage->release_ = [capacity](void* p) { host_cache::release(p, capacity); };
      return storage;
    }
    // aligned_alloc's size must be a multiple of the alignment; never zero.
    const std::size_t rounded = ((bytes + kAlignment - 1) / kAlignment) * kAlignment;
    void* data = std::aligned_alloc(kAlignment, rounded == 0 ? kAlignment : rounded);
    if (data == nullptr) throw std::bad_alloc();
    return std::shared_ptr<Storage>(new Storage(data, bytes, device));
  }
  if constexpr (build::kWithCuda) {
    // Device memory comes from the caching allocator; the block goes back to it, not to cudaFree.
    const cuda::Block block = cuda::allocator::acquire(bytes);
    auto storage = std::shared_ptr<Storage>(new Storage(block.data, bytes, device));
    storage->release_ = [block](void*) { cuda::allocator::release(block); };
    return storage;
  } else {
    MOEGNN_FAIL(Unsupported, "Storage::allocate",
                "a CUDA buffer was requested but this build has MOEGNN_WITH_CUDA=OFF; "
                "rebuild with -DMOEGNN_WITH_CUDA=ON or use Device::Cpu");
  }
}

std::shared_ptr<Storage> Storage::adopt(void* data, std::size_t bytes, Device device,
                                        std::function<void(void*)> release) {
  MOEGNN_CHECK(device != Device::Cpu || reinterpret_cast<std::uintptr_t>(data) % kAlignment == 0,
               "CPU memory at ", data, " is not ", kAlignment, "-byte aligned");
  auto storage = std::shared_ptr<Storage>(new Storage(data, bytes, device));
  storage->release_ = std::move(release);
  return storage;
}

Storage::~Storage() {
  // CUDA storage always has release_ (the allocator's block, or the adopter's function).
  if (release_) {
    release_(data_);
  } else if (device_ == Device::Cpu) {
    std::free(data_);
  }
}

void Storage::copy_from(const Storage& src, std::size_t bytes, std::size_t src_offset,
                        std::size_t dst_offset) {
  MOEGNN_CHECK(src_offset + bytes <= src.bytes() && dst_offset + bytes <= bytes_,
               "copy of ", bytes, " bytes out of range: source has ", src.bytes(), " (offset ",
               src_offset, "), destination ", bytes_, " (offset ", dst_offset, ")");
  if (bytes == 0) return;
  char* dst = static_cast<char*>(data_) + dst_offset;
  const char* from = static_cast<const char*>(src.data()) + src_offset;
  if (device_ == Device::Cpu && src.device() == Device::Cpu) {
    std::memcpy(dst, from, bytes);
    return;
  }
  if constexpr (build::kWithCuda) {
    const cuda::CopyKind kind = src.device() == Device::Cpu ? cuda::CopyKind::HostToDevice
                                : device_ == Device::Cpu    ? cuda::CopyKind::DeviceToHost
                                                            : cuda::CopyKind::DeviceToDevice;
    cuda::copy(dst, from, bytes, kind);
  } else {
    MOEGNN_FAIL(Unsupported, "Storage::copy_from", "CUDA copy in a build with MOEGNN_WITH_CUDA=OFF");
  }
}

}  // namespace moegnn
