// SPDX-License-Identifier: Apache-2.0
// The halo exchange and its backward over the communicator's alltoallv.
#include "dist/halo.h"

#include <cstring>

#include "core/error.h"

namespace moegnn::dist {
namespace {

// Rows per rank this part sends (send[p].size()) and receives (its halo range from p).
struct Counts {
  std::vector<Index> send;
  std::vector<Index> recv;
};

Counts counts_of(const Part& part, Communicator& comm) {
  const auto P = static_cast<std::size_t>(comm.size());
  MOEGNN_CHECK_AS(InvalidArgument, "dist::halo_exchange",
                  part.send.size() == P && part.recv_offset.size() == P + 1 &&
                      part.num_parts == comm.size() && part.part_id == comm.rank(),
                  "part ", part.part_id, " of ", part.num_parts, " with a plan for ",
                  part.send.size(), " ranks vs rank ", comm.rank(), " of ", comm.size());
  MOEGNN_CHECK_AS(InvalidArgument, "dist::halo_exchange",
                  part.recv_offset.back() == part.num_halo(), "the plan receives ",
                  part.recv_offset.back(), " rows vs ", part.num_halo(), " halo nodes");
  Counts c{std::vector<Index>(P), std::vector<Index>(P)};
  for (std::size_t p = 0; p < P; ++p) {
    c.send[p] = part.send[p].size();
    c.recv[p] = part.recv_offset[p + 1] - part.recv_offset[p];
  }
  return c;
}

// The rows of `x` listed by the plan, rank after rank.
Tensor pack(const Tensor& x, const Part& part) {
  Index total = 0;
  for (const IndexArray32& s : part.send) total += s.size();
  const Index F = x.cols();
  Tensor out = Tensor::empty(total, F);
  float* o = out.data();
  const float* src = x.data();
  for (const IndexArray32& s : part.send)
    for (const std::int32_t i : s.host()) {
      if (F > 0) std::memcpy(o, src + static_cast<Index>(i) * F, static_cast<std::size_t>(F) * 4);
      o += F;
    }
  return out;
}

void check_rows(const Tensor& owned, const Part& part) {
  MOEGNN_CHECK_AS(InvalidArgument, "dist::halo_exchange", owned.rows() == part.num_owned(),
                  "input has ", owned.rows(), " rows vs ", part.num_owned(), " owned nodes");
  MOEGNN_CHECK_AS(InvalidArgument, "dist::halo_exchange", owned.device() == Device::Cpu,
                  "input on ", to_string(owned.device()), " vs cpu");
}

}  // namespace

Tensor halo_exchange(const Tensor& owned, const Part& part, Communicator& comm) {
  check_rows(owned, part);
  const Counts c = counts_of(part, comm);
  const Tensor halo = exchange_rows(comm, pack(owned, part), c.send, c.recv);
  const Index F = owned.cols();
  Tensor out = Tensor::empty(part.num_local(), F);
  const std::size_t owned_bytes = static_cast<std::size_t>(owned.rows() * F) * 4;
  if (owned_bytes > 0) std::memcpy(out.data(), owned.data(), owned_bytes);
  if (halo.size() > 0)
    std::memcpy(out.data() + owned.rows() * F, halo.data(), static_cast<std::size_t>(halo.size()) * 4);
  return out;
}

Var halo_exchange(Tape& tape, Var owned, const Part& part, Communicator& comm) {
  Tensor out = halo_exchange(owned.value(), part, comm);
  return tape.record(std::move(out), {owned}, [&part, &comm](Tape::Step& s) {
    // Every rank runs this rule at the same point of its backward (same model, same layers).
    const Counts c = counts_of(part, comm);
    const Index F = s.grad_out.cols();
    const Index no = part.num_owned();
    Tensor send = Tensor::empty(part.num_halo(), F);
    if (send.size() > 0)
      std::memcpy(send.data(), s.grad_out.data() + no * F, static_cast<std::size_t>(send.size()) * 4);
    const Tensor back = exchange_rows(comm, send, c.recv, c.send);  // rows of part.send's order
    if (s.grad_in[0] == nullptr) return;
    float* g = s.grad_in[0]->data();
    const float* go = s.grad_out.data();
    for (Index k = 0; k < no * F; ++k) g[k] += go[k];
    const float* b = back.data();
    for (const IndexArray32& list : part.send)
      for (const std::int32_t i : list.host()) {
        float* row = g + static_cast<Index>(i) * F;
        for (Index f = 0; f < F; ++f) row[f] += b[f];
        b += F;
      }
  });
}

std::vector<double> halo_exchange(const std::vector<double>& owned, const Part& part,
                                  Communicator& comm) {
  MOEGNN_CHECK_AS(InvalidArgument, "dist::halo_exchange",
                  static_cast<Index>(owned.size()) == part.num_owned(), "got ", owned.size(),
                  " values vs ", part.num_owned(), " owned nodes");
  const Counts c = counts_of(part, comm);
  const auto P = c.send.size();
  std::vector<double> send;
  for (const IndexArray32& s : part.send)
    for (const std::int32_t i : s.host()) send.push_back(owned[static_cast<std::size_t>(i)]);
  std::vector<std::int64_t> sb(P), rb(P);
  for (std::size_t p = 0; p < P; ++p) {
    sb[p] = c.send[p] * 8;
    rb[p] = c.recv[p] * 8;
  }
  std::vector<double> out(owned);
  out.resize(static_cast<std::size_t>(part.num_local()));
  comm.alltoallv(send.data(), sb, out.data() + owned.size(), rb);
  return out;
}

}  // namespace moegnn::dist
