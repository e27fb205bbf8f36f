// SPDX-License-Identifier: Apache-2.0
// Device helpers shared by the core CUDA kernels (private; included only by core/ops/cuda/*.cu
// and core/optim/cuda/update.cu): the comparison rule of max (NaN counts
// as largest, the first maximum wins), deterministic sums in double (fixed splits, fixed tree
// order, no atomics), the CPU's column_reduce order replayed per column, and small device scratch
// buffers. Every reduction's split depends only on the data's shape, so results are bit-identical
// run to run.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <cuda_runtime.h>

#include "core/cuda/check.h"
#include "core/cuda/context.h"
#include "core/cuda/launch.cuh"
#include "core/cuda/runtime.h"
#include "core/storage.h"
#include "core/types.h"

namespace moegnn::ops::cuda::kernels {

using moegnn::cuda::launch;
using moegnn::cuda::stream;

// v beats best: larger, or NaN over a number (the CPU's rule in cpu/reduce.cpp).
__device__ inline bool beats(float v, float best) { return v > best || (isnan(v) && !isnan(best)); }

// The better of two (value, index) candidates: the larger under beats(), the smaller index on a
// tie. The rule is a total preorder with an index tie-break, so any combine order gives the first
// maximum, the same as the CPU's left-to-right scan.
struct Best {
  float value;
  long long index;  // -1: nothing seen
};
__device__ inline Best better(Best a, Best b) {
  if (a.index < 0) return b;
  if (b.index < 0) return a;
  if (beats(b.value, a.value)) return b;
  if (beats(a.value, b.value)) return a;
  return b.index < a.index ? b : a;
}

// Butterfly sums and maxima over the 32 lanes of a warp (a fixed tree: every lane ends with the
// same bits).
__device__ inline double warp_sum(double v) {
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}
__device__ inline Best warp_best(Best v) {
  for (int offset = 16; offset > 0; offset >>= 1) {
    Best other{__shfl_xor_sync(0xffffffffu, v.value, offset),
               __shfl_xor_sync(0xffffffffu, v.index, offset)};
    v = better(v, other);
  }
  return v;
}

inline constexpr int kBlockThreads = 256;  // every block-reduction kernel uses this block size
inline constexpr int kWarpsPerBlock = kBlockThreads / 32;

// Sum of one value per thread over a kBlockThreads block, in a fixed order; valid in thread 0.
__device__ inline double block_sum(double v) {
  __shared__ double warp_totals[kWarpsPerBlock];
  v = warp_sum(v);
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const int warp = static_cast<int>(threadIdx.x) / 32;
  if (lane == 0) warp_totals[warp] = v;
  __syncthreads();
  double total = 0.0;
  if (threadIdx.x == 0)
    for (int w = 0; w < kWarpsPerBlock; ++w) total += warp_totals[w];
  __syncthreads();
  return total;
}
__device__ inline Best block_best(Best v) {
  __shared__ float warp_value[kWarpsPerBlock];
  __shared__ long long warp_index[kWarpsPerBlock];
  v = warp_best(v);
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const int warp = static_cast<int>(threadIdx.x) / 32;
  if (lane == 0) {
    warp_value[warp] = v.value;
    warp_index[warp] = v.index;
  }
  __syncthreads();
  Best total{0.0f, -1};
  if (threadIdx.x == 0)
    for (int w = 0; w < kWarpsPerBlock; ++w)
      total = better(total, Best{warp_value[w], warp_index[w]});
  __syncthreads();
  return total;
}

// Device scratch memory from the caching allocator, released when the last copy goes.
template <typename T>
class DeviceArray {
 public:
  explicit DeviceArray(std::size_t count)
      : storage_(Storage::allocate(std::max<std::size_t>(count, 1) * sizeof(T), Device::Cuda)),
        count_(count) {}
  // A copy of host values.
  explicit DeviceArray(const std::vector<T>& values) : DeviceArray(values.size()) {
    if (!values.empty())
      moegnn::cuda::copy(data(), values.data(), values.size() * sizeof(T),
                         moegnn::cuda::CopyKind::HostToDevice);
  }
  T* data() { return static_cast<T*>(storage_->data()); }
  const T* data() const { return static_cast<const T*>(storage_->data()); }
  std::size_t size() const { return count_; }
  std::vector<T> to_host() const {
    std::vector<T> out(count_);
    if (count_ > 0)
      moegnn::cuda::copy(out.data(), data(), count_ * sizeof(T),
                         moegnn::cuda::CopyKind::DeviceToHost);
    return out;
  }

 private:
  std::shared_ptr<Storage> storage_;
  std::size_t count_;
};

// ---- Σ value(i) over [0, count) in double: fixed chunks per block, partials summed in order. ----

template <typename Value>
__global__ void chunk_sums(long long count, long long chunk, Value value, double* partial) {
  const long long lo = static_cast<long long>(blockIdx.x) * chunk;
  const long long hi = lo + chunk < count ? lo + chunk : count;
  double acc = 0.0;
  for (long long i = lo + threadIdx.x; i < hi; i += blockDim.x)
    acc += static_cast<double>(value(i));
  const double total = block_sum(acc);
  if (threadIdx.x == 0) partial[blockIdx.x] = total;
}

// *total = Σ partial[0, blocks), one block. A template only so that every .cu file gets its own
// copy without separate compilation.
template <typename Unused = void>
__global__ void finish_sum(const double* partial, int blocks, double* total) {
  double acc = 0.0;
  for (int b = static_cast<int>(threadIdx.x); b < blocks; b += blockDim.x) acc += partial[b];
  const double sum = block_sum(acc);
  if (threadIdx.x == 0) *total = sum;
}

// The split of a whole-tensor sum: chunk sizes depend on the count only.
struct SumSplit {
  long long chunk;
  int blocks;
};
inline SumSplit sum_split(long long count) {
  constexpr long long kMinChunk = 4096;
  constexpr long long kMaxBlocks = 1024;
  long long chunk = (count + kMaxBlocks - 1) / kMaxBlocks;
  if (chunk < kMinChunk) chunk = kMinChunk;
  return {chunk, static_cast<int>((count + chunk - 1) / chunk)};
}

// Σ value(i) over [0, count) in double, deterministic (fixed chunks, fixed trees), left on the
// device as one double. The CPU sums the same double terms in another fixed order, so the totals
// differ by double roundings only and agree once rounded to float (but for a rare tie).
template <typename Value>
DeviceArray<double> sum_all(long long count, Value value) {
  const SumSplit split = sum_split(count);
  DeviceArray<double> partial(static_cast<std::size_t>(split.blocks));
  DeviceArray<double> total(1);
  if (count > 0) {
    chunk_sums<<<static_cast<unsigned>(split.blocks), kBlockThreads, 0, stream()>>>(
        count, split.chunk, value, partial.data());
    MOEGNN_CUDA_CHECK(cudaGetLastError());
  }
  finish_sum<><<<1, kBlockThreads, 0, stream()>>>(partial.data(), count > 0 ? split.blocks : 0,
                                                  total.data());
  MOEGNN_CUDA_CHECK(cudaGetLastError());
  return total;
}

// dst[0] += (float) *total, or = when !accumulate: a double total into a 1 × 1 float tensor.
struct StoreTotal {
  const double* total;
  float* dst;
  bool accumulate;
  __device__ void operator()(long long) const {
    const auto v = static_cast<float>(*total);
    if (accumulate)
      dst[0] += v;
    else
      dst[0] = v;
  }
};

// ---- The CPU's column_reduce order, in parallel over (row block, column). ----

// Rows per partial block of cpu::column_reduce for a reduction `width` columns wide.
inline long long column_block(long long width) {
  constexpr long long kElementChunk = 1LL << 15;  // cpu/loops.h
  long long block = kElementChunk / (width > 1 ? width : 1);
  return block < 8 ? 8 : (block > 1024 ? 1024 : block);
}

// Pass 1: partial[b·cols + j] = Σ value(i, j) over the rows of block b, in row order from 0.
template <typename Value>
struct BlockPartials {
  Value value;
  long long rows;
  long long cols;
  long long block;
  float* partial;
  __device__ void operator()(long long e) const {
    const long long b = e / cols;
    const long long j = e - b * cols;
    const long long lo = b * block;
    const long long hi = lo + block < rows ? lo + block : rows;
    float acc = 0.0f;
    for (long long i = lo; i < hi; ++i) acc += value(i, j);
    partial[e] = acc;
  }
};
// Pass 2: out[j] = scale·(0 + Σ_b partial[b, j]) in block order, or out[j] += the sum.
struct FinishColumns {
  const float* partial;
  long long blocks;
  long long cols;
  float scale;
  bool accumulate;
  float* out;
  __device__ void operator()(long long j) const {
    float total = 0.0f;
    for (long long b = 0; b < blocks; ++b) total += partial[b * cols + j];
    if (accumulate)
      out[j] += total;
    else
      out[j] = total * scale;
  }
};

// out[j] = scale · Σ_i value(i, j) for j < cols (or out[j] += Σ when `accumulate`), summed as
// cpu::column_reduce sums a reduction `width` columns wide: rows in blocks of column_block(width),
// each block into its own partial from 0, the partials added in block order. Pass 1 runs one
// thread per (block, column), so tall inputs still fill the device; no atomics.
template <typename Value>
void column_sums(long long rows, long long cols, long long width, Value value, float* out,
                 bool accumulate, float scale = 1.0f) {
  if (cols <= 0) return;
  const long long block = column_block(width);
  const long long blocks = (rows + block - 1) / block;
  DeviceArray<float> partial(static_cast<std::size_t>(blocks * cols));
  launch(blocks * cols, BlockPartials<Value>{value, rows, cols, block, partial.data()});
  launch(cols, FinishColumns{partial.data(), blocks, cols, scale, accumulate, out});
}

// The CPU's lane_sum (cpu/loops.h) of value(e) over [lo, hi), replayed in one thread: eight double
// lanes combined in the same tree, then the tail.
template <typename Value>
__device__ double lane_sum(long long lo, long long hi, const Value& value) {
  double lanes[8] = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
  long long i = lo;
  for (; i + 8 <= hi; i += 8)
    for (int l = 0; l < 8; ++l) lanes[l] += static_cast<double>(value(i + l));
  double tail = 0.0;
  for (; i < hi; ++i) tail += static_cast<double>(value(i));
  return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) +
         ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7])) + tail;
}

// Launch shape for one warp per row over `rows` rows.
inline unsigned warp_row_blocks(long long rows) {
  return static_cast<unsigned>((rows + kWarpsPerBlock - 1) / kWarpsPerBlock);
}

}  // namespace moegnn::ops::cuda::kernels
