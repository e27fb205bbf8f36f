// SPDX-License-Identifier: Apache-2.0
// The caching device allocator behind Storage::allocate(Device::Cuda) (private to core; plain C++
// declarations, defined in allocator.cu, which is compiled only with MOEGNN_WITH_CUDA). cudaMalloc
// and cudaFree synchronise the device and cost tens of microseconds, so no op may call them: a
// freed block goes to a free list of its device and is handed out again to a request it fits, the
// device counterpart of core/host_cache.h.
//
// Sizes are rounded up to 512-byte granules below 1 MiB and to 2 MiB multiples from 1 MiB on, so
// that blocks of nearby sizes are interchangeable. A request takes the smallest cached block of
// its device that fits with little waste (at most twice the rounded size for small blocks, at most
// an eighth or one 2 MiB granule more for large ones); blocks are never split. When cudaMalloc
// reports out-of-memory the cache is emptied and the call tried once more.
//
// Reuse is safe without events because every op and copy of a device runs on that device's one
// context stream (core/cuda/context.h): a block released by the host is reused only by work
// enqueued after the work that last touched it. Thread-safe (one mutex for all devices).
#pragma once

#include <cstddef>

namespace moegnn::cuda {

struct Block {
  void* data = nullptr;
  std::size_t capacity = 0;  // rounded size; pass the whole Block back to release()
  int device = 0;
};

struct AllocatorStats {
  std::size_t allocated_bytes = 0;  // in blocks handed out now
  std::size_t cached_bytes = 0;     // in free blocks kept for reuse
  std::size_t hits = 0;             // requests served from the cache
  std::size_t misses = 0;           // requests that called cudaMalloc
  std::size_t frees = 0;            // blocks given back to the driver (empty_cache, OOM retry)
};

namespace allocator {

// The size a request of `bytes` is rounded to (512 B granules below 1 MiB, 2 MiB above; 0 -> 512).
std::size_t round_size(std::size_t bytes) noexcept;

// A block of at least `bytes` on the current device. Throws CudaError naming cudaMalloc when the
// device is out of memory even after the cache was emptied.
Block acquire(std::size_t bytes);

// Returns a block from acquire() to its device's free list.
void release(const Block& block) noexcept;

// Gives every cached block of every device back to the driver.
void empty_cache() noexcept;

// Totals over all devices.
AllocatorStats stats() noexcept;

}  // namespace allocator
}  // namespace moegnn::cuda
