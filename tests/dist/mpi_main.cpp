// SPDX-License-Identifier: Apache-2.0
// main() of the MPI test binary (run under mpirun -np 2 / 4): one MPI session, GoogleTest on every
// rank (only rank 0 prints), and a failure on any rank fails every rank's exit status.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

#include "dist/comm.h"
#include "tests/dist/mpi_env.h"

namespace moegnn::test {
namespace {
std::unique_ptr<dist::Communicator> g_world;
}  // namespace

dist::Communicator& world() { return *g_world; }

}  // namespace moegnn::test

int main(int argc, char** argv) {
  moegnn::dist::MpiSession session(&argc, &argv);
  moegnn::test::g_world = moegnn::dist::make_mpi_communicator();
  testing::InitGoogleTest(&argc, argv);
  if (moegnn::test::world().rank() != 0) {
    testing::TestEventListeners& listeners = testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  const int result = RUN_ALL_TESTS();
  std::int64_t failed[1] = {result != 0 ? 1 : 0};
  moegnn::test::world().allreduce_sum(failed);
  moegnn::test::g_world.reset();
  return failed[0] != 0 ? 1 : 0;
}
