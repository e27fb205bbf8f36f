// SPDX-License-Identifier: Apache-2.0
// A cache of large CPU buffers between Storage lifetimes. A buffer of 100+ MB that is freed goes
// back to the kernel (glibc maps anything above 32 MiB on its own), and the next one of that size
// is faulted in and zeroed page by page: on the arxiv-scale graph that zeroing was half the time of
// a Mowst inference pass (perf: clear_page_erms 49 %). Freed buffers of at least min_bytes() are kept
// instead, up to a byte limit, and handed out again to requests they fit with little waste (best
// fit, at most 1/8 unused), the CPU counterpart of the caching allocators of CUDA frameworks.
// Mid-sized buffers (64 KiB to 2 MiB: the activations of a mini-batch of small graphs) pass
// through it too, rounded up to one of 8 size classes per power of two so that batches of slightly
// different sizes reuse each other's buffers: glibc would hand them back to the kernel at the end
// of every step (heap trimming) and fault them in again (GIN on PROTEINS: half the CPU time).
//
// New buffers are faulted in when allocated (one madvise call, not a page fault per 4 KiB page),
// in transparent huge pages while the kernel has free 2 MiB blocks to give without compacting
// memory; MOEGNN_HOST_HUGEPAGES=1 asks for them always (which can stall on compaction), 0 never.
// Reused memory is not zeroed (Storage::allocate never promised zeroes). Thread-safe (one mutex;
// only buffers of 64 KiB or more pass through it). Under AddressSanitizer cached buffers are
// poisoned, so a use after free is still reported.
#pragma once

#include <cstddef>

namespace moegnn {

struct HostCacheStats {
  std::size_t cached_bytes = 0;   // held for reuse now
  std::size_t limit_bytes = 0;    // most that is held
  std::size_t hits = 0;           // requests served from the cache
  std::size_t misses = 0;         // requests of cacheable size that were not
  std::size_t in_use_bytes = 0;   // handed out by acquire() and not yet released
  std::size_t peak_in_use_bytes = 0;  // most in use at once since the start or reset_peak()
  std::size_t fresh_bytes = 0;    // allocated from the system (and faulted in) so far, in total
};

namespace host_cache {

// Buffers below this size bypass the cache (glibc's own free lists serve them well): 64 KiB, or
// 4 KiB in AddressSanitizer builds, where reused buffers are also filled with NaN bytes so that
// the test suite catches any op that reads an output before writing it.
std::size_t min_bytes() noexcept;

// An aligned buffer of at least `bytes` (bytes >= min_bytes()); `*capacity` receives its real size,
// to pass back to release(). Throws std::bad_alloc when memory is exhausted (after emptying the
// cache and trying once more).
void* acquire(std::size_t bytes, std::size_t alignment, std::size_t* capacity);

// Returns a buffer from acquire(); it is kept when it fits under the limit, else freed.
void release(void* data, std::size_t capacity) noexcept;

// Frees every cached buffer.
void empty() noexcept;

// Sets the most bytes kept (0 disables the cache and empties it). The default is a quarter of the
// physical memory, or MOEGNN_HOST_CACHE_MB from the environment when set.
void set_limit(std::size_t bytes) noexcept;

HostCacheStats stats() noexcept;

// Starts a new peak_in_use_bytes window at the bytes in use now (per-phase memory breakdowns).
void reset_peak() noexcept;

}  // namespace host_cache
}  // namespace moegnn
