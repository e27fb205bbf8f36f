# SPDX-License-Identifier: Apache-2.0
# Benchmarks of the datasets module (paths relative to bench/).
set(moegnn_bench_datasets_sources datasets/io_bench.cpp datasets/load_bench.cpp)
