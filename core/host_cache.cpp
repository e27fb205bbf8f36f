// SPDX-License-Identifier: Apache-2.0
// The host buffer cache: a size-ordered multimap of free buffers under one mutex.
#include "core/host_cache.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <new>
#include <sstream>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

#include "core/error.h"
#include "core/parallel.h"

#include "core/detail/asan.h"
#ifdef MOEGNN_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace moegnn::host_cache {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
#ifdef MOEGNN_ASAN
constexpr std::size_t kMin = std::size_t{4} << 10;
constexpr bool kFillOnReuse = true;
void poison(void* p, std::size_t n) { ASAN_POISON_MEMORY_REGION(p, n); }
void unpoison(void* p, std::size_t n) { ASAN_UNPOISON_MEMORY_REGION(p, n); }
#else
constexpr std::size_t kMin = std::size_t{64} << 10;
constexpr bool kFillOnReuse = false;
void poison(void*, std::size_t) {}
void unpoison(void*, std::size_t) {}
#endif

std::size_t default_limit() {
  if (const char* env = std::getenv("MOEGNN_HOST_CACHE_MB"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    const unsigned long long mb = std::strtoull(env, &end, 10);
    MOEGNN_CHECK_AS(InvalidArgument, "host_cache", *end == '\0' && env[0] != '-',
                    "MOEGNN_HOST_CACHE_MB is '", env,
                    "' vs a whole number of MiB (0 turns the cache off)");
    return static_cast<std::size_t>(mb) << 20;
  }
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return std::size_t{1} << 30;
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(page) / 4;
}

struct State {
  std::mutex mutex;
  std::multimap<std::size_t, void*> free;  // capacity -> buffer
  std::size_t cached = 0;
  std::size_t limit = 0;
  bool limit_set = false;
  std::size_t hits = 0;
  std::size_t misses = 0;
  std::size_t in_use = 0;
  std::size_t peak = 0;
  std::size_t fresh_bytes = 0;

  // Under the mutex.
  void hand_out(std::size_t capacity) {
    in_use += capacity;
    peak = std::max(peak, in_use);
  }

  // Under the mutex.
  std::size_t current_limit() {
    if (!limit_set) {
      limit = default_limit();
      limit_set = true;
    }
    return limit;
  }
  void drop_all() {
    for (auto& [capacity, data] : free) {
      unpoison(data, capacity);
      std::free(data);
    }
    free.clear();
    cached = 0;
  }
};

// Never destroyed: Storages released during static destruction still find it.
State& state() {
  static State* s = new State;
  return *s;
}

// MADV_POPULATE_WRITE (Linux 5.14; older kernels answer EINVAL and the pages fault on first touch).
constexpr int kPopulateWrite = 23;

// Transparent huge pages for new buffers of 2 MiB or more. MOEGNN_HOST_HUGEPAGES=1: always;
// 0: never; unset (or empty): while they are free and cheap to fault in (see wants_huge_pages).
enum class HugePages { Never, WhenFree, Always };

HugePages huge_page_policy() {
  static const HugePages policy = [] {
    const char* env = std::getenv("MOEGNN_HOST_HUGEPAGES");
    if (env == nullptr || *env == '\0') return HugePages::WhenFree;
    const std::string value(env);
    MOEGNN_CHECK_AS(InvalidArgument, "host_cache", value == "0" || value == "1",
                    "MOEGNN_HOST_HUGEPAGES is '", value,
                    "' vs 1 (always), 0 (never) or unset (when free blocks allow)");
    return value == "1" ? HugePages::Always : HugePages::Never;
  }();
  return policy;
}

// Bytes the kernel's buddy allocator holds free in blocks of at least 2 MiB, over every zone but
// DMA (/proc/buddyinfo: "Node 0, zone Normal" and the free block count per order); 0 when it
// cannot be read.
std::size_t free_huge_block_bytes() {
  std::ifstream in("/proc/buddyinfo");
  const long page = sysconf(_SC_PAGE_SIZE);
  if (!in || page <= 0) return 0;
  std::size_t total = 0;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string node, id, zone, name;
    if (!(fields >> node >> id >> zone >> name) || name == "DMA") continue;
    std::size_t count = 0;
    for (int order = 0; fields >> count; ++order) {
      const std::size_t block = static_cast<std::size_t>(page) << order;
      if (block >= kHugePage) total += count * block;
    }
  }
  return total;
}

// Whether a new buffer of `capacity` bytes asks for huge pages. A huge page costs what its 512
// small pages cost to zero, in 1/512 of the faults, unless the kernel must first make one: with
// the default defrag policy an madvised region waits for memory compaction when no free 2 MiB
// block is left (40-50 s per 2 GB on the fragmented 2-core dev VM), and under a hypervisor that
// takes free blocks back (virtio-balloon free page reporting returns free blocks of 2 MiB and up
// to the host) every huge page first faults on the host: on that VM, 128 MiB took 365 ms in huge
// pages against 33 ms in 4 KiB pages (carved from small free blocks, which are never reported) and
// 14 ms in huge pages freed a moment before. So by default a buffer gets them only while free
// blocks cover it with kHugeReserve to spare and fresh huge pages have been cheap: an 8 MiB probe
// once per process, then every populate of a huge-page buffer is timed and the first one slower
// than kColdBytesPerSecond turns them off for the rest of the process.
constexpr std::size_t kHugeReserve = std::size_t{256} << 20;
constexpr double kColdBytesPerSecond = 2e9;
std::atomic<bool> huge_pages_went_cold{false};

double populate_seconds(void* data, std::size_t bytes);

bool fresh_huge_pages_are_cheap() {
  static const bool cheap = [] {
    constexpr std::size_t kProbe = 4 * kHugePage;
    void* probe = std::aligned_alloc(kHugePage, kProbe);
    if (probe == nullptr) return false;
    madvise(probe, kProbe, MADV_HUGEPAGE);
    const double seconds = populate_seconds(probe, kProbe);
    std::free(probe);
    return static_cast<double>(kProbe) >= kColdBytesPerSecond * seconds;
  }();
  return cheap;
}

bool wants_huge_pages(std::size_t capacity) {
  switch (huge_page_policy()) {
    case HugePages::Never: return false;
    case HugePages::Always: return true;
    case HugePages::WhenFree:
      return !huge_pages_went_cold.load(std::memory_order_relaxed) &&
             free_huge_block_bytes() >= capacity + kHugeReserve && fresh_huge_pages_are_cheap();
  }
  return false;
}

// Faults in [data, data + bytes) with MADV_POPULATE_WRITE, in 32 MiB pieces on every thread (the
// kernel zeroes each page; one core zeroes a few GB/s).
void populate(void* data, std::size_t bytes) {
  constexpr std::size_t kPiece = std::size_t{32} << 20;
  const auto pieces = static_cast<Index>((bytes + kPiece - 1) / kPiece);
  char* base = static_cast<char*>(data);
  parallel_for(0, pieces, [&](Index i) {
    const std::size_t lo = static_cast<std::size_t>(i) * kPiece;
    madvise(base + lo, std::min(kPiece, bytes - lo), kPopulateWrite);  // failure: faults later
  }, 1);
}

double populate_seconds(void* data, std::size_t bytes) {
  const auto start = std::chrono::steady_clock::now();
  populate(data, bytes);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A new buffer from the system, its pages faulted in here: a few kernel entries for the whole
// buffer instead of one fault per 4 KiB page taken by whichever op touches it first (on the 2-core
// dev VM: 0.6 s of system time per 2 GB against 1.0-2.8 s); huge pages as wants_huge_pages says.
void* fresh(std::size_t capacity, std::size_t alignment) {
  // Before the allocation: wants_huge_pages throws on a bad MOEGNN_HOST_HUGEPAGES.
  const bool huge = alignment == kHugePage && wants_huge_pages(capacity);
  void* data = std::aligned_alloc(alignment, capacity);
  if (data == nullptr) return nullptr;
  if (!huge) {
    populate(data, capacity);
    return data;
  }
  madvise(data, capacity, MADV_HUGEPAGE);
  const double seconds = populate_seconds(data, capacity);
  if (huge_page_policy() == HugePages::WhenFree &&
      static_cast<double>(capacity) < kColdBytesPerSecond * seconds)
    huge_pages_went_cold.store(true, std::memory_order_relaxed);
  return data;
}

}  // namespace

std::size_t min_bytes() noexcept { return kMin; }

void* acquire(std::size_t bytes, std::size_t alignment, std::size_t* capacity) {
  MOEGNN_ASSERT(bytes >= kMin && capacity != nullptr && alignment > 0 &&
                (alignment & (alignment - 1)) == 0);
  // Large buffers are 2 MiB aligned and rounded to whole huge pages (so that they can be backed by
  // transparent huge pages when asked for, see fresh()); aligned_alloc wants a multiple anyway.
  if (bytes >= kHugePage) alignment = std::max(alignment, kHugePage);
  // Below 2 MiB, sizes are rounded up to one of 8 classes per power of two, so that buffers whose
  // sizes vary a little from step to step (mini-batches of different sizes) share capacities.
  const std::size_t step =
      bytes >= kHugePage ? alignment : std::max(alignment, std::bit_floor(bytes) / 8);
  const std::size_t rounded = (bytes + step - 1) / step * step;
  State& s = state();
  {
    std::lock_guard lock(s.mutex);
    if (s.current_limit() > 0) {
      for (auto it = s.free.lower_bound(rounded);
           it != s.free.end() && it->first - rounded <= rounded / 8; ++it) {
        if (reinterpret_cast<std::uintptr_t>(it->second) % alignment != 0) continue;
        void* data = it->second;
        *capacity = it->first;
        s.cached -= it->first;
        s.free.erase(it);
        ++s.hits;
        s.hand_out(*capacity);
        unpoison(data, *capacity);
        if constexpr (kFillOnReuse) std::memset(data, 0xff, *capacity);  // NaN in every float
        return data;
      }
      ++s.misses;
    }
  }
  void* data = fresh(rounded, alignment);
  if (data == nullptr) {
    empty();
    data = fresh(rounded, alignment);
    if (data == nullptr) throw std::bad_alloc();
  }
  *capacity = rounded;
  {
    std::lock_guard lock(s.mutex);
    s.hand_out(rounded);
    s.fresh_bytes += rounded;
  }
  return data;
}

void release(void* data, std::size_t capacity) noexcept {
  if (data == nullptr) return;
  State& s = state();
  {
    std::lock_guard lock(s.mutex);
    s.in_use -= std::min(s.in_use, capacity);
    std::size_t limit = 0;
    try {
      limit = s.current_limit();
    } catch (...) {  // a malformed MOEGNN_HOST_CACHE_MB: acquire() reports it; here just free
      limit = 0;
    }
    if (s.cached + capacity <= limit) {
      poison(data, capacity);
      s.free.emplace(capacity, data);
      s.cached += capacity;
      return;
    }
  }
  std::free(data);
}

void empty() noexcept {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.drop_all();
}

void set_limit(std::size_t bytes) noexcept {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.limit = bytes;
  s.limit_set = true;
  if (s.cached > bytes) s.drop_all();
}

HostCacheStats stats() noexcept {
  State& s = state();
  std::lock_guard lock(s.mutex);
  std::size_t limit = s.limit;
  if (!s.limit_set) {
    try {
      limit = s.current_limit();
    } catch (...) {
      limit = 0;
    }
  }
  return {.cached_bytes = s.cached,
          .limit_bytes = limit,
          .hits = s.hits,
          .misses = s.misses,
          .in_use_bytes = s.in_use,
          .peak_in_use_bytes = s.peak,
          .fresh_bytes = s.fresh_bytes};
}

void reset_peak() noexcept {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.peak = s.in_use;
}

}  // namespace moegnn::host_cache
