// SPDX-License-Identifier: Apache-2.0
// The MPI communicator and the halo exchange under mpirun: deterministic sums, exchanges of rows
// and ids, and the halo exchange's gradient against the single-process one.
#include <gtest/gtest.h>

#include <vector>

#include "core/ops/elementwise.h"
#include "core/ops/reduce.h"
#include "core/ops/shape.h"
#include "core/rng.h"
#include "datasets/csbm.h"
#include "dist/halo.h"
#include "dist/part.h"
#include "dist/partition.h"
#include "layers/ops/spmm.h"
#include "tests/dist/mpi_env.h"

namespace moegnn {
namespace {

TEST(MpiComm, SumsInRankOrderOnEveryRank) {
  dist::Communicator& comm = test::world();
  const int P = comm.size();
  ASSERT_GE(P, 2);
  // Values whose float sum depends on the order: rank r contributes 1e8 for r == 0, else 1 + r.
  std::vector<float> v{comm.rank() == 0 ? 1e8f : 1.0f + static_cast<float>(comm.rank()),
                       static_cast<float>(comm.rank())};
  comm.allreduce_sum(v);
  float expect0 = 0.0f;
  for (int r = 0; r < P; ++r) expect0 += r == 0 ? 1e8f : 1.0f + static_cast<float>(r);
  EXPECT_EQ(v[0], expect0);  // bit-exact: the rank-order sum
  EXPECT_EQ(v[1], static_cast<float>(P * (P - 1) / 2));
  std::int64_t n[1] = {comm.rank() + 1};
  comm.allreduce_sum(n);
  EXPECT_EQ(n[0], P * (P + 1) / 2);
  const double mine[1] = {static_cast<double>(comm.rank())};
  const std::vector<double> all = comm.allgather(mine);
  ASSERT_EQ(all.size(), static_cast<std::size_t>(P));
  for (int r = 0; r < P; ++r) EXPECT_EQ(all[static_cast<std::size_t>(r)], r);
}

TEST(MpiComm, ExchangesIdsAndRows) {
  dist::Communicator& comm = test::world();
  const int P = comm.size();
  // Rank r sends rank p the list [r, p] repeated p + 1 times.
  std::vector<std::vector<std::int32_t>> send(static_cast<std::size_t>(P));
  for (int p = 0; p < P; ++p)
    for (int k = 0; k <= p; ++k) {
      send[static_cast<std::size_t>(p)].push_back(comm.rank());
      send[static_cast<std::size_t>(p)].push_back(p);
    }
  std::vector<Index> counts;
  const std::vector<std::int32_t> got = dist::exchange_ids(comm, send, counts);
  ASSERT_EQ(got.size(), static_cast<std::size_t>(P * 2 * (comm.rank() + 1)));
  std::size_t at = 0;
  for (int r = 0; r < P; ++r) {
    EXPECT_EQ(counts[static_cast<std::size_t>(r)], 2 * (comm.rank() + 1));
    for (int k = 0; k <= comm.rank(); ++k, at += 2) {
      EXPECT_EQ(got[at], r);
      EXPECT_EQ(got[at + 1], comm.rank());
    }
  }
  std::byte b[2] = {std::byte{0}, std::byte{0}};
  if (comm.rank() == 0) b[1] = std::byte{7};
  comm.broadcast(b, 0);
  EXPECT_EQ(b[1], std::byte{7});
}

Tensor random_tensor(Index rows, Index cols, std::uint64_t seed) {
  Rng rng(seed);
  Tensor t = Tensor::empty(rows, cols);
  for (Index i = 0; i < t.size(); ++i) t.data()[i] = rng.uniform(-1.0f, 1.0f);
  return t;
}

// loss = Σ C ⊙ A (A X) over two halo exchanges: the owned rows' gradient of X equals the
// single-process gradient's rows.
TEST(MpiHalo, GradientMatchesSingleProcess) {
  dist::Communicator& comm = test::world();
  const datasets::NodeDataset d = datasets::csbm(
      {.num_nodes = 300, .num_classes = 3, .num_features = 4, .avg_degree = 6.0, .seed = 5});
  const IndexArray32 assignment =
      dist::partition_nodes(d.graph, d.train,
                            {.num_parts = comm.size(), .method = dist::PartitionMethod::Random,
                             .seed = 3});
  const dist::Part part = dist::build_part(d, assignment, comm.rank(), comm.size());
  const Tensor X = random_tensor(d.num_nodes(), 4, 11);
  const Tensor C = random_tensor(d.num_nodes(), 4, 12);

  Parameter px(X.clone());
  px.zero_grad();
  {
    Tape tape;
    const Var x = tape.param(px);
    const Var h = ops::spmm(tape, d.graph, ops::spmm(tape, d.graph, x));
    tape.backward(ops::sum(tape, ops::mul(tape, h, tape.constant(C))));
  }
  Parameter po(ops::gather_rows(X, part.owned));
  po.zero_grad();
  {
    Tape tape;
    const Var x = tape.param(po);
    const Var h1 = ops::spmm(tape, part.graph, dist::halo_exchange(tape, x, part, comm));
    const Var h2 = ops::spmm(tape, part.graph, dist::halo_exchange(tape, h1, part, comm));
    tape.backward(
        ops::sum(tape, ops::mul(tape, h2, tape.constant(ops::gather_rows(C, part.owned)))));
  }
  const Tensor expect = ops::gather_rows(px.grad, part.owned);
  ASSERT_EQ(po.grad.rows(), expect.rows());
  ASSERT_GT(part.num_halo(), 0);
  for (Index i = 0; i < expect.size(); ++i)
    ASSERT_NEAR(po.grad.data()[i], expect.data()[i], 1e-4f) << "element " << i;
  // The forward rows too: the halo rows equal the owners' rows.
  const Tensor local = dist::halo_exchange(ops::gather_rows(X, part.owned), part, comm);
  for (Index j = 0; j < part.num_halo(); ++j)
    for (Index f = 0; f < 4; ++f)
      ASSERT_EQ(local.data()[(part.num_owned() + j) * 4 + f], X.data()[part.halo[j] * 4 + f]);
}

}  // namespace
}  // namespace moegnn
