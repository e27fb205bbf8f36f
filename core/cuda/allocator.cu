// SPDX-License-Identifier: Apache-2.0
// The caching device allocator: per-device size-ordered free lists under one mutex.
#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

#include <cuda_runtime.h>

#include "core/cuda/allocator.h"
#include "core/cuda/check.h"

namespace moegnn::cuda::allocator {
namespace {

constexpr std::size_t kSmallGranule = 512;
constexpr std::size_t kLargeGranule = std::size_t{2} << 20;
constexpr std::size_t kLargeFrom = std::size_t{1} << 20;

struct State {
  std::mutex mutex;
  std::vector<std::multimap<std::size_t, void*>> free;  // per device: capacity -> block
  AllocatorStats stats;

  // Under the mutex.
  std::multimap<std::size_t, void*>& pool(int device) {
    if (free.size() <= static_cast<std::size_t>(device))
      free.resize(static_cast<std::size_t>(device) + 1);
    return free[static_cast<std::size_t>(device)];
  }
  void drop_all() noexcept {
    for (auto& blocks : free) {
      for (auto& [capacity, data] : blocks) {
        MOEGNN_CUDA_CHECK_PRINT(cudaFree(data));
        stats.cached_bytes -= capacity;
        ++stats.frees;
      }
      blocks.clear();
    }
  }
};

// Never destroyed: Storages released during static destruction still find it.
State& state() {
  static State* s = new State;
  return *s;
}

std::size_t round_up(std::size_t bytes, std::size_t granule) {
  return (bytes + granule - 1) / granule * granule;
}

// The most a cached block may exceed a request of `rounded` bytes and still serve it.
std::size_t max_fit(std::size_t rounded) {
  if (rounded < kLargeFrom) return 2 * rounded - 1;
  return rounded + std::max(rounded / 8, kLargeGranule);
}

}  // namespace

std::size_t round_size(std::size_t bytes) noexcept {
  if (bytes == 0) return kSmallGranule;
  return bytes < kLargeFrom ? round_up(bytes, kSmallGranule) : round_up(bytes, kLargeGranule);
}

Block acquire(std::size_t bytes) {
  const std::size_t rounded = round_size(bytes);
  int device = 0;
  MOEGNN_CUDA_CHECK(cudaGetDevice(&device));
  State& s = state();
  {
    const std::lock_guard lock(s.mutex);
    auto& blocks = s.pool(device);
    const auto it = blocks.lower_bound(rounded);
    if (it != blocks.end() && it->first <= max_fit(rounded)) {
      const Block block{it->second, it->first, device};
      blocks.erase(it);
      s.stats.cached_bytes -= block.capacity;
      s.stats.allocated_bytes += block.capacity;
      ++s.stats.hits;
      return block;
    }
    ++s.stats.misses;
  }
  // cudaMalloc outside the lock: it can take milliseconds and other threads may release meanwhile.
  void* data = nullptr;
  cudaError_t status = cudaMalloc(&data, rounded);
  if (status == cudaErrorMemoryAllocation) {
    cudaGetLastError();
    empty_cache();
    status = cudaMalloc(&data, rounded);
  }
  if (status != cudaSuccess) {
    cudaGetLastError();
    const AllocatorStats now = stats();
    MOEGNN_FAIL(
        CudaError, "cuda::allocator::acquire", "cudaMalloc of ", rounded, " bytes on device ",
        device, " failed after emptying the cache: ", cudaGetErrorName(status), " (",
        cudaGetErrorString(status), "); ", now.allocated_bytes, " bytes are held by live tensors");
  }
  {
    const std::lock_guard lock(s.mutex);
    s.stats.allocated_bytes += rounded;
  }
  return Block{data, rounded, device};
}

void release(const Block& block) noexcept {
  if (block.data == nullptr) return;
  State& s = state();
  const std::lock_guard lock(s.mutex);
  s.pool(block.device).emplace(block.capacity, block.data);
  s.stats.allocated_bytes -= block.capacity;
  s.stats.cached_bytes += block.capacity;
}

void empty_cache() noexcept {
  State& s = state();
  const std::lock_guard lock(s.mutex);
  s.drop_all();
}

AllocatorStats stats() noexcept {
  State& s = state();
  const std::lock_guard lock(s.mutex);
  return s.stats;
}

}  // namespace moegnn::cuda::allocator
