# SPDX-License-Identifier: Apache-2.0
# Partitioning measurements (paths relative to bench/): halo volume of METIS vs random parts and the
# per-rank GCN step time on METIS parts, the inputs of bench/compare/partition_volume.sh and
# bench/compare/dist_scaling.py. A program of its own (its own main; no Google Benchmark).
add_executable(moegnn_partition_bench ${CMAKE_CURRENT_LIST_DIR}/partition_bench.cpp)
target_link_libraries(moegnn_partition_bench PRIVATE moegnn::dist moegnn::layers moegnn::datasets)
target_include_directories(moegnn_partition_bench PRIVATE ${PROJECT_SOURCE_DIR})
moegnn_target_flags(moegnn_partition_bench)
