# SPDX-License-Identifier: Apache-2.0
# The MPI communicator (only with MOEGNN_WITH_MPI; paths relative to dist/).
target_sources(moegnn_dist PRIVATE
  detail/mpi_comm.cpp)
