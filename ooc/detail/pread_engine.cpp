// SPDX-License-Identifier: Apache-2.0
// The pread engine: a fixed pool of threads, each taking requests from a shared counter.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include <cerrno>

#include <unistd.h>

#include "ooc/detail/engines.h"

namespace moegnn::ooc::detail {
namespace {

long long pread_full(const ReadRequest& r) {
  std::size_t done = 0;
  while (done < r.bytes) {
    const ssize_t n = ::pread(r.file->fd(), r.dst + done, r.bytes - done,
                              static_cast<off_t>(r.offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -errno;
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
    if (r.file->direct() && done % kDirectAlign != 0) break;
  }
  return static_cast<long long>(done);
}

class PreadEngine final : public IoEngine {
 public:
  explicit PreadEngine(int threads) : threads_(std::max(1, threads)) {}

  void read(std::span<const ReadRequest> requests) override {
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex mutex;
    auto work = [&] {
      for (std::size_t i = next++; i < requests.size(); i = next++) {
        try {
          const ReadRequest& r = requests[i];
          const long long n = pread_full(r);
          check_read(r, n);
          r.file->counters().bytes += static_cast<std::uint64_t>(n);
          r.file->counters().requests += 1;
        } catch (...) {
          const std::lock_guard lock(mutex);
          if (!error) error = std::current_exception();
          next = requests.size();
        }
      }
    };
    const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(threads_),
                                                 (requests.size() + 7) / 8);
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < n; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
    if (error) std::rethrow_exception(error);
  }

  std::string name() const override { return "pread"; }

 private:
  int threads_;
};

}  // namespace

std::unique_ptr<IoEngine> make_pread_engine(int threads) {
  return std::make_unique<PreadEngine>(threads);
}

}  // namespace moegnn::ooc::detail
