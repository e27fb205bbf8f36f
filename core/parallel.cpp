// SPDX-License-Identifier: Apache-2.0
// oneTBB behind core/parallel.h.
#include "core/parallel.h"

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>

#include <memory>
#include <mutex>

#include "core/error.h"

namespace moegnn {
namespace {
struct ThreadLimit {
  std::mutex mutex;
  std::unique_ptr<tbb::global_control> control;
  int threads = 0;
};
ThreadLimit& thread_limit() {
  static ThreadLimit limit;
  return limit;
}
}  // namespace

void set_num_threads(int threads) {
  MOEGNN_CHECK(threads >= 0, "thread count ", threads, " vs >= 0 (0 = all hardware threads)");
  ThreadLimit& limit = thread_limit();
  std::lock_guard lock(limit.mutex);
  limit.control.reset();
  limit.threads = threads;
  if (threads > 0)
    limit.control = std::make_unique<tbb::global_control>(
        tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
}

int num_threads() {
  return static_cast<int>(
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
}

namespace detail {
void parallel_for_chunks(Index begin, Index end, Index grain,
                         const std::function<void(Index, Index)>& body) {
  tbb::parallel_for(tbb::blocked_range<Index>(begin, end, static_cast<std::size_t>(grain)),
                    [&](const tbb::blocked_range<Index>& r) { body(r.begin(), r.end()); });
}
}  // namespace detail

}  // namespace moegnn
