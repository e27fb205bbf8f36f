// SPDX-License-Identifier: Apache-2.0
// The single-process communicator and the typed exchanges over any communicator.
#include "dist/comm.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace moegnn::dist {
namespace {

class SingleCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void allreduce_sum(std::span<float>) override { ++stats_.collectives; }
  void allreduce_sum(std::span<std::int64_t>) override { ++stats_.collectives; }
  void allreduce_sum(std::span<double>) override { ++stats_.collectives; }
  std::vector<double> allgather(std::span<const double> values) override {
    ++stats_.collectives;
    return {values.begin(), values.end()};
  }
  void alltoallv(const void* send, std::span<const std::int64_t> send_bytes, void* recv,
                 std::span<const std::int64_t> recv_bytes) override {
    MOEGNN_CHECK_AS(InvalidArgument, "SingleCommunicator::alltoallv",
                    send_bytes.size() == 1 && recv_bytes.size() == 1 &&
                        send_bytes[0] == recv_bytes[0],
                    "counts for ", send_bytes.size(), " / ", recv_bytes.size(),
                    " ranks, or sizes that differ, vs one rank sending itself what it receives");
    ++stats_.collectives;
    if (send_bytes[0] > 0) std::memcpy(recv, send, static_cast<std::size_t>(send_bytes[0]));
  }
  std::vector<std::int64_t> alltoall(std::span<const std::int64_t> counts) override {
    ++stats_.collectives;
    return {counts.begin(), counts.end()};
  }
  void broadcast(std::span<std::byte>, int) override { ++stats_.collectives; }
  void barrier() override {}
  [[noreturn]] void abort(const std::string& message) override {
    std::fprintf(stderr, "rank 0/1: %s\n", message.c_str());
    std::fflush(stderr);
    std::exit(1);
  }
};

}  // namespace

std::unique_ptr<Communicator> make_single_communicator() {
  return std::make_unique<SingleCommunicator>();
}

Tensor exchange_rows(Communicator& comm, const Tensor& send, std::span<const Index> send_rows,
                     std::span<const Index> recv_rows) {
  const auto P = static_cast<std::size_t>(comm.size());
  MOEGNN_CHECK_AS(InvalidArgument, "dist::exchange_rows",
                  send_rows.size() == P && recv_rows.size() == P, "counts for ", send_rows.size(),
                  " / ", recv_rows.size(), " ranks vs ", P);
  const Index cols = send.cols();
  Index total_send = 0;
  Index total_recv = 0;
  std::vector<std::int64_t> sb(P);
  std::vector<std::int64_t> rb(P);
  for (std::size_t p = 0; p < P; ++p) {
    total_send += send_rows[p];
    total_recv += recv_rows[p];
    sb[p] = static_cast<std::int64_t>(send_rows[p] * cols) * 4;
    rb[p] = static_cast<std::int64_t>(recv_rows[p] * cols) * 4;
  }
  MOEGNN_CHECK_AS(InvalidArgument, "dist::exchange_rows", total_send == send.rows(), "send has ",
                  send.rows(), " rows vs ", total_send, " counted");
  Tensor out = Tensor::empty(total_recv, cols);
  comm.alltoallv(send.data(), sb, out.data(), rb);
  return out;
}

std::vector<std::int32_t> exchange_ids(Communicator& comm,
                                       const std::vector<std::vector<std::int32_t>>& send,
                                       std::vector<Index>& recv_counts) {
  const auto P = static_cast<std::size_t>(comm.size());
  MOEGNN_CHECK_AS(InvalidArgument, "dist::exchange_ids", send.size() == P, "lists for ",
                  send.size(), " ranks vs ", P);
  std::vector<std::int64_t> counts(P);
  std::vector<std::int32_t> flat;
  for (std::size_t p = 0; p < P; ++p) {
    counts[p] = static_cast<std::int64_t>(send[p].size());
    flat.insert(flat.end(), send[p].begin(), send[p].end());
  }
  const std::vector<std::int64_t> recv = comm.alltoall(counts);
  std::vector<std::int64_t> sb(P);
  std::vector<std::int64_t> rb(P);
  recv_counts.assign(P, 0);
  std::int64_t total = 0;
  for (std::size_t p = 0; p < P; ++p) {
    sb[p] = counts[p] * 4;
    rb[p] = recv[p] * 4;
    recv_counts[p] = static_cast<Index>(recv[p]);
    total += recv[p];
  }
  std::vector<std::int32_t> out(static_cast<std::size_t>(total));
  comm.alltoallv(flat.data(), sb, out.data(), rb);
  return out;
}

bool MpiSession::launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr ||
         std::getenv("PMIX_RANK") != nullptr;
}

}  // namespace moegnn::dist
