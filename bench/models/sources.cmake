# SPDX-License-Identifier: Apache-2.0
# Models benchmark program (paths relative to bench/). gcn_epoch.cpp holds the program's main (it
# wins over benchmark_main's): with --write-graph / --graph / --planetoid it runs the epoch timers of
# the *_epoch.cpp files (printing JSON for bench/compare/*_vs_pyg.sh), otherwise the Google Benchmark
# registrations of the other sources.
set(moegnn_bench_models_sources models/gcn_epoch.cpp models/cora_epoch.cpp models/sage_epoch.cpp)
# Mowst routed inference vs the full-graph GNN on the arxiv-scale graph (Google Benchmark).
list(APPEND moegnn_bench_models_sources models/mowst_inference_bench.cpp)
# GIN graph-classification training epoch on a TU set, a program of its own (its own main; no
# Google Benchmark): the moegnn side of bench/compare/gin_graph_vs_pyg.sh.
add_executable(moegnn_gin_graph_bench ${CMAKE_CURRENT_LIST_DIR}/gin_graph_epoch.cpp)
target_link_libraries(moegnn_gin_graph_bench PRIVATE moegnn::models moegnn::datasets)
moegnn_target_flags(moegnn_gin_graph_bench)

# Recommendation: full-ranking evaluation and BPR sampling (Google Benchmark).
list(APPEND moegnn_bench_models_sources models/ranking_bench.cpp)
# Link prediction on ogbl-ddi: common neighbours / resource allocation pairs per second.
list(APPEND moegnn_bench_models_sources models/link_bench.cpp)
