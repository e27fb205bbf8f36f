// SPDX-License-Identifier: Apache-2.0
// The MPI communicator (MPI_COMM_WORLD) and the MPI session; compiled only with MOEGNN_WITH_MPI.
// Every MPI call's status is checked: a failure throws IoError naming the call, the rank and
// MPI's own message (the communicator's error handler is MPI_ERRORS_RETURN).
#include <mpi.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <string>

#include "core/error.h"
#include "dist/comm.h"

namespace moegnn::dist {
namespace {

int world_rank() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  int rank = -1;
  if (initialized != 0) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

void check(int code, const char* call) {
  if (code == MPI_SUCCESS) [[likely]]
    return;
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  MPI_Error_string(code, text, &length);
  MOEGNN_FAIL(IoError, call, "failed on rank ", world_rank(), " with code ", code, " (",
              std::string(text, static_cast<std::size_t>(length)),
              ") vs MPI_SUCCESS; another rank may have ended: see its message");
}

int to_int(std::int64_t n, const char* call) {
  MOEGNN_CHECK_AS(InvalidArgument, call, n >= 0 && n <= INT_MAX, "a count of ", n,
                  " bytes vs [0, 2^31): exchange in smaller pieces (more parts)");
  return static_cast<int>(n);
}

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    MOEGNN_CHECK_AS(IoError, "dist::make_mpi_communicator", initialized != 0,
                    "MPI is not initialised vs an MpiSession alive in this process");
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  // Reduce-scatter then allgather, both deterministic: rank c receives chunk c of every rank's
  // buffer, adds the P copies in rank order 0..P-1, and every rank gathers the summed chunks. Each
  // rank sends about 2·n floats whatever P is (an allgather of whole buffers would send (P-1)·n).
  void allreduce_sum(std::span<float> data) override {
    Timer t(stats_);
    const auto P = static_cast<std::size_t>(size_);
    const std::size_t n = data.size();
    to_int(static_cast<std::int64_t>(n), "MPI_Alltoallv");
    std::vector<int> begin(P + 1), count(P), zero(P, 0), mine(P), mine_offset(P);
    for (std::size_t c = 0; c <= P; ++c) begin[c] = static_cast<int>(n * c / P);
    for (std::size_t c = 0; c < P; ++c) count[c] = begin[c + 1] - begin[c];
    const auto me = static_cast<std::size_t>(rank_);
    const int len = count[me];
    for (std::size_t r = 0; r < P; ++r) {
      mine[r] = len;
      mine_offset[r] = static_cast<int>(r) * len;
    }
    std::vector<float> chunks(static_cast<std::size_t>(len) * P);
    check(MPI_Alltoallv(data.data(), count.data(), begin.data(), MPI_FLOAT, chunks.data(),
                        mine.data(), mine_offset.data(), MPI_FLOAT, MPI_COMM_WORLD),
          "MPI_Alltoallv");
    std::vector<float> sum(static_cast<std::size_t>(len));
    for (int i = 0; i < len; ++i) {
      float s = 0.0f;
      for (std::size_t r = 0; r < P; ++r) s += chunks[r * static_cast<std::size_t>(len) + static_cast<std::size_t>(i)];
      sum[static_cast<std::size_t>(i)] = s;
    }
    check(MPI_Allgatherv(sum.data(), len, MPI_FLOAT, data.data(), count.data(), begin.data(),
                         MPI_FLOAT, MPI_COMM_WORLD),
          "MPI_Allgatherv");
    const std::int64_t sent = static_cast<std::int64_t>(n - static_cast<std::size_t>(len)) * 4 +
                              static_cast<std::int64_t>(len) * 4 * (size_ - 1);
    stats_.bytes_sent += sent;
    stats_.reduce_bytes += sent;
  }
  void allreduce_sum(std::span<std::int64_t> data) override {
    Timer t(stats_);
    check(MPI_Allreduce(MPI_IN_PLACE, data.data(), static_cast<int>(data.size()), MPI_INT64_T,
                        MPI_SUM, MPI_COMM_WORLD),
          "MPI_Allreduce");
    stats_.bytes_sent += static_cast<std::int64_t>(data.size() * 8) * (size_ - 1);
  }
  void allreduce_sum(std::span<double> data) override {
    const std::vector<double> all = allgather(data);
    for (std::size_t i = 0; i < data.size(); ++i) {
      double s = 0.0;
      for (int r = 0; r < size_; ++r) s += all[static_cast<std::size_t>(r) * data.size() + i];
      data[i] = s;
    }
  }
  std::vector<double> allgather(std::span<const double> values) override {
    Timer t(stats_);
    std::vector<double> all(values.size() * static_cast<std::size_t>(size_));
    check(MPI_Allgather(values.data(), static_cast<int>(values.size()), MPI_DOUBLE, all.data(),
                        static_cast<int>(values.size()), MPI_DOUBLE, MPI_COMM_WORLD),
          "MPI_Allgather");
    stats_.bytes_sent += static_cast<std::int64_t>(values.size() * 8) * (size_ - 1);
    return all;
  }
  void alltoallv(const void* send, std::span<const std::int64_t> send_bytes, void* recv,
                 std::span<const std::int64_t> recv_bytes) override {
    const auto P = static_cast<std::size_t>(size_);
    MOEGNN_CHECK_AS(InvalidArgument, "MpiCommunicator::alltoallv",
                    send_bytes.size() == P && recv_bytes.size() == P, "counts for ",
                    send_bytes.size(), " / ", recv_bytes.size(), " ranks vs ", P);
    Timer t(stats_);
    std::vector<int> sc(P), sd(P), rc(P), rd(P);
    std::int64_t so = 0, ro = 0;
    for (std::size_t p = 0; p < P; ++p) {
      sc[p] = to_int(send_bytes[p], "MPI_Alltoallv");
      rc[p] = to_int(recv_bytes[p], "MPI_Alltoallv");
      sd[p] = to_int(so, "MPI_Alltoallv");
      rd[p] = to_int(ro, "MPI_Alltoallv");
      so += send_bytes[p];
      ro += recv_bytes[p];
      if (static_cast<int>(p) != rank_) stats_.bytes_sent += send_bytes[p];
    }
    check(MPI_Alltoallv(send, sc.data(), sd.data(), MPI_BYTE, recv, rc.data(), rd.data(), MPI_BYTE,
                        MPI_COMM_WORLD),
          "MPI_Alltoallv");
  }
  std::vector<std::int64_t> alltoall(std::span<const std::int64_t> counts) override {
    MOEGNN_CHECK_AS(InvalidArgument, "MpiCommunicator::alltoall",
                    counts.size() == static_cast<std::size_t>(size_), "counts for ",
                    counts.size(), " ranks vs ", size_);
    Timer t(stats_);
    std::vector<std::int64_t> out(counts.size());
    check(MPI_Alltoall(counts.data(), 1, MPI_INT64_T, out.data(), 1, MPI_INT64_T, MPI_COMM_WORLD),
          "MPI_Alltoall");
    stats_.bytes_sent += 8 * (size_ - 1);
    return out;
  }
  void broadcast(std::span<std::byte> bytes, int root) override {
    Timer t(stats_);
    check(MPI_Bcast(bytes.data(), to_int(static_cast<std::int64_t>(bytes.size()), "MPI_Bcast"),
                    MPI_BYTE, root, MPI_COMM_WORLD),
          "MPI_Bcast");
    if (rank_ == root) stats_.bytes_sent += static_cast<std::int64_t>(bytes.size()) * (size_ - 1);
  }
  void barrier() override {
    Timer t(stats_);
    check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");
  }
  [[noreturn]] void abort(const std::string& message) override {
    std::fprintf(stderr, "rank %d/%d: %s\n", rank_, size_, message.c_str());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
    std::_Exit(1);  // MPI_Abort does not return; in case it does
  }

 private:
  // Counts one collective and the wall time spent in it.
  struct Timer {
    explicit Timer(CommStats& s) : stats(s), start(std::chrono::steady_clock::now()) {
      ++stats.collectives;
    }
    ~Timer() {
      stats.wait_seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;
    CommStats& stats;
    std::chrono::steady_clock::time_point start;
  };
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace

std::unique_ptr<Communicator> make_mpi_communicator() {
  return std::make_unique<MpiCommunicator>();
}

MpiSession::MpiSession(int* argc, char*** argv) {
  int initialized = 0;
  check(MPI_Initialized(&initialized), "MPI_Initialized");
  if (initialized == 0) {
    check(MPI_Init(argc, argv), "MPI_Init");
    owns_ = true;
  }
  check(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
}

MpiSession::~MpiSession() {
  if (!owns_) return;
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized == 0) MPI_Finalize();
}

}  // namespace moegnn::dist
