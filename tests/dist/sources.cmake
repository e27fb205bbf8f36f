# SPDX-License-Identifier: Apache-2.0
# Test sources of the dist module (paths relative to tests/).
list(APPEND moegnn_dist_test_sources dist/partition_test.cpp dist/part_io_test.cpp)
list(APPEND moegnn_dist_test_sources dist/mpi_single_test.cpp)
