// SPDX-License-Identifier: Apache-2.0
// main() of the MPI test binary (run under mpirun -np 2 / 4): one MPI session, GoogleTest on every
// rank (only rank 0 prints the progress), and a failure on any rank fails every rank's exit
// status. A failed assertion on any rank is printed with the rank and ends every rank at once
// (Communicator::abort): the other ranks would otherwise wait in the test's next collective until
// ctest's timeout.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "dist/comm.h"
#include "tests/dist/mpi_env.h"

namespace moegnn::test {
namespace {
std::unique_ptr<dist::Communicator> g_world;

// Prints a failed assertion with its rank, then aborts every rank.
class AbortOnFailure final : public testing::EmptyTestEventListener {
 public:
  void OnTestPartResult(const testing::TestPartResult& result) override {
    if (!result.failed()) return;
    const testing::TestInfo* test = testing::UnitTest::GetInstance()->current_test_info();
    std::string message = "rank " + std::to_string(g_world->rank()) + "/" +
                          std::to_string(g_world->size()) + ": ";
    if (test != nullptr) {
      message += test->test_suite_name();
      message += '.';
      message += test->name();
      message += ": ";
    }
    message += result.file_name() != nullptr ? result.file_name() : "?";
    message += ':';
    message += std::to_string(result.line_number());
    message += ": ";
    message += result.message();
    g_world->abort(message);
  }
};
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
  testing::UnitTest::GetInstance()->listeners().Append(new moegnn::test::AbortOnFailure);
  const int result = RUN_ALL_TESTS();
  std::int64_t failed[1] = {result != 0 ? 1 : 0};
  moegnn::test::world().allreduce_sum(failed);
  moegnn::test::g_world.reset();
  return failed[0] != 0 ? 1 : 0;
}
