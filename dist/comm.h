// SPDX-License-Identifier: Apache-2.0
// Communicator: what distributed training needs of MPI, behind an interface with a single-process
// implementation (size 1, always built) and an MPI one (dist/detail/mpi_comm.cpp, compiled only
// with MOEGNN_WITH_MPI; without it make_mpi_communicator() and MpiSession throw Unsupported naming
// the flag). Every collective is called by every rank in the same order.
//
// The float sum is deterministic: each element is added in rank order 0..P-1 (by the rank that owns
// its chunk: a reduce-scatter, then an allgather), so P ranks give bit-identical results run to run
// (MPI_Allreduce's order is not promised).
// Errors of an MPI call become an IoError naming the call, the rank and MPI's message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "core/types.h"

namespace moegnn::dist {

// Traffic and waiting of one rank, for the per-rank summary.
struct CommStats {
  std::int64_t bytes_sent = 0;   // payload bytes this rank sent to other ranks
  std::int64_t reduce_bytes = 0;  // the part of bytes_sent spent in float allreduces (gradients)
  std::int64_t collectives = 0;  // collective calls
  double wait_seconds = 0.0;     // wall time spent inside collectives (communication + imbalance)
};

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;

  // data[i] = Σ over ranks r = 0..P-1 (in that order) of rank r's data[i], on every rank.
  virtual void allreduce_sum(std::span<float> data) = 0;
  // Small counters (order-independent for integers; doubles summed in rank order too).
  virtual void allreduce_sum(std::span<std::int64_t> data) = 0;
  virtual void allreduce_sum(std::span<double> data) = 0;
  // Every rank's `values` concatenated in rank order (all ranks pass the same count).
  virtual std::vector<double> allgather(std::span<const double> values) = 0;

  // Personalised exchange of bytes: send_bytes[p] bytes of `send` (contiguous, in rank order) go
  // to rank p; recv_bytes[p] bytes from rank p land in `recv` (contiguous, in rank order). Both
  // count vectors have size() entries and must agree pairwise across ranks.
  virtual void alltoallv(const void* send, std::span<const std::int64_t> send_bytes, void* recv,
                         std::span<const std::int64_t> recv_bytes) = 0;
  // counts[p] goes to rank p; returns what every rank sent to this one (one entry per rank).
  virtual std::vector<std::int64_t> alltoall(std::span<const std::int64_t> counts) = 0;

  // `bytes` of rank `root` on every rank.
  virtual void broadcast(std::span<std::byte> bytes, int root) = 0;
  virtual void barrier() = 0;
  // Ends every rank of the job (MPI_Abort) after printing `message` on stderr; the single-process
  // communicator exits with status 1.
  [[noreturn]] virtual void abort(const std::string& message) = 0;

  const CommStats& stats() const { return stats_; }

 protected:
  CommStats stats_{};
};

// Rows of a row-major float matrix sent to each rank: send_rows[p] rows of `send` (in rank order)
// to rank p, recv_rows[p] rows from rank p, all `cols` wide. Returns the received rows (Σ recv_rows
// × cols). Throws InvalidArgument on a shape mismatch.
Tensor exchange_rows(Communicator& comm, const Tensor& send, std::span<const Index> send_rows,
                     std::span<const Index> recv_rows);

// The same for 32-bit ids, with the receive counts exchanged first: returns what every rank sent
// to this one, in rank order, and the count from each rank in `recv_counts`.
std::vector<std::int32_t> exchange_ids(Communicator& comm, const std::vector<std::vector<std::int32_t>>& send,
                                       std::vector<Index>& recv_counts);

// The single-process communicator: size 1, every collective a copy.
std::unique_ptr<Communicator> make_single_communicator();

// The MPI communicator over MPI_COMM_WORLD (an MpiSession must be alive). Throws Unsupported in a
// build without MOEGNN_WITH_MPI, IoError when MPI is not initialised.
std::unique_ptr<Communicator> make_mpi_communicator();

// MPI_Init on construction (unless MPI is already initialised), MPI_Finalize on destruction (only
// when this session initialised it). Errors of MPI calls are returned, not fatal
// (MPI_ERRORS_RETURN), and become exceptions. Throws Unsupported without MOEGNN_WITH_MPI.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  // True when the process was started by an MPI launcher (mpirun / mpiexec set OMPI_* or PMI_*).
  static bool launched_by_mpirun();

 private:
  bool owns_ = false;
};

}  // namespace moegnn::dist
