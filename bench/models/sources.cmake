# SPDX-License-Identifier: Apache-2.0
# Models benchmark program (paths relative to bench/). gcn_epoch.cpp holds the program's main (it
# wins over benchmark_main's): with --write-graph / --graph / --planetoid it runs the epoch timers of
# the *_epoch.cpp files (printing JSON for bench/compare/*_vs_pyg.sh), otherwise the Google Benchmark
# registrations of the other sources.
set(moegnn_bench_models_sources models/gcn_epoch.cpp models/cora_epoch.cpp models/sage_epoch.cpp)
# Mowst routed inference vs the full-graph GNN on the arxiv-scale graph (Google Benchmark).
list(APPEND moegnn_bench_models_sources models/mowst_inference_bench.cpp)
# Link prediction on ogbl-ddi: common neighbours / resource allocation pairs per second.
list(APPEND moegnn_bench_models_sources models/link_bench.cpp)
