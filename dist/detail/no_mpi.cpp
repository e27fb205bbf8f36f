// SPDX-License-Identifier: Apache-2.0
// A build without MOEGNN_WITH_MPI: the MPI communicator and session refuse, naming the flag.
#include "core/error.h"
#include "dist/comm.h"

namespace moegnn::dist {

std::unique_ptr<Communicator> make_mpi_communicator() {
  MOEGNN_FAIL(Unsupported, "dist::make_mpi_communicator",
              "this build has no MPI vs one configured with -DMOEGNN_WITH_MPI=ON (needs Open MPI: "
              "apt-get install libopenmpi-dev openmpi-bin)");
}

MpiSession::MpiSession(int* /*argc*/, char*** /*argv*/) {
  MOEGNN_FAIL(Unsupported, "dist::MpiSession",
              "this build has no MPI vs one configured with -DMOEGNN_WITH_MPI=ON (needs Open MPI: "
              "apt-get install libopenmpi-dev openmpi-bin)");
}

MpiSession::~MpiSession() = default;

}  // namespace moegnn::dist
