// SPDX-License-Identifier: Apache-2.0
// The io_uring engine (liburing): one ring, up to `depth` reads in flight; short reads that end
// inside the file are resubmitted for the remainder.
#include <liburing.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "ooc/detail/engines.h"

namespace moegnn::ooc::detail {
namespace {

class UringEngine final : public IoEngine {
 public:
  explicit UringEngine(io_uring ring, unsigned depth) : ring_(ring), depth_(depth) {}
  ~UringEngine() override { io_uring_queue_exit(&ring_); }

  void read(std::span<const ReadRequest> requests) override {
    done_.assign(requests.size(), 0);
    std::size_t next = 0, in_flight = 0, completed = 0;
    while (completed < requests.size()) {
      while (next < requests.size() && in_flight < depth_) {
        submit(requests, next, 0);
        ++next;
        ++in_flight;
      }
      io_uring_submit(&ring_);
      io_uring_cqe* cqe = nullptr;
      const int rc = io_uring_wait_cqe(&ring_, &cqe);
      if (rc == -EINTR) continue;
      MOEGNN_CHECK_AS(IoError, "IoEngine::read", rc == 0, "io_uring_wait_cqe failed: ",
                      std::strerror(-rc));
      const auto i = static_cast<std::size_t>(io_uring_cqe_get_data64(cqe));
      const int res = cqe->res;
      io_uring_cqe_seen(&ring_, cqe);
      const ReadRequest& r = requests[i];
      if (res < 0) check_read(r, res);
      done_[i] += static_cast<std::size_t>(res);
      const bool more = res > 0 && done_[i] < r.bytes && done_[i] % kDirectAlign == 0;
      if (more) {
        submit(requests, i, done_[i]);
        continue;
      }
      check_read(r, static_cast<long long>(done_[i]));
      r.file->counters().bytes += done_[i];
      r.file->counters().requests += 1;
      --in_flight;
      ++completed;
    }
  }

  std::string name() const override { return "io_uring"; }

 private:
  void submit(std::span<const ReadRequest> requests, std::size_t i, std::size_t from) {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (sqe == nullptr) {
      io_uring_submit(&ring_);
      sqe = io_uring_get_sqe(&ring_);
    }
    MOEGNN_CHECK_AS(IoError, "IoEngine::read", sqe != nullptr, "io_uring queue full");
    const ReadRequest& r = requests[i];
    io_uring_prep_read(sqe, r.file->fd(), r.dst + from, static_cast<unsigned>(r.bytes - from),
                       r.offset + from);
    io_uring_sqe_set_data64(sqe, i);
  }

  io_uring ring_;
  unsigned depth_;
  std::vector<std::size_t> done_;
};

}  // namespace

std::unique_ptr<IoEngine> make_uring_engine(int depth) {
  io_uring ring{};
  const unsigned entries = static_cast<unsigned>(depth);
  if (io_uring_queue_init(entries, &ring, 0) != 0) return nullptr;
  return std::make_unique<UringEngine>(ring, entries);
}

}  // namespace moegnn::ooc::detail
