# SPDX-License-Identifier: Apache-2.0
# Models benchmark program (paths relative to bench/). gcn_epoch.cpp is a plain program with its own
# main (it wins over benchmark_main's): it writes the shared benchmark graph file and times full-batch
# GCN training epochs, printing JSON for bench/compare/gcn_vs_pyg.sh.
set(moegnn_bench_models_sources models/gcn_epoch.cpp)
