# SPDX-License-Identifier: Apache-2.0
# Without MOEGNN_WITH_MPI: factories that refuse, naming the build flag (paths relative to dist/).
target_sources(moegnn_dist PRIVATE
  detail/no_mpi.cpp)
