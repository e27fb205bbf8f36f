# SPDX-License-Identifier: Apache-2.0
# Test sources of the models module, one list per area (paths relative to tests/).
# Baseline models behind NodeModel (Mlp, Gcn, Sage, Gat, Gin), their shared layer stack and the
# registry:
list(APPEND moegnn_models_test_sources models/node/layer_stack_test.cpp models/node/mlp_test.cpp
  models/node/gcn_test.cpp models/node/sage_test.cpp models/node/gat_test.cpp models/node/gin_test.cpp
  models/node/hooked_forward_test.cpp
  models/registry_test.cpp models/model_io_test.cpp)
# Training infrastructure (models/training, checkpoints, OGB metrics, JSON log):
list(APPEND moegnn_models_test_sources models/training/metrics_test.cpp
  models/training/checkpoint_test.cpp models/training/trainer_test.cpp
  models/training/minibatch_test.cpp models/training/repeat_test.cpp)
# Graph-level learning (models/graph, the graph-classification task, OGB graph metrics):
list(APPEND moegnn_models_test_sources models/graph/gin_graph_test.cpp
  models/training/graph_metrics_test.cpp)
# GMoPE pieces: SVD feature alignment.
list(APPEND moegnn_models_test_sources models/gmope/feature_alignment_test.cpp)
list(APPEND moegnn_models_test_sources models/gmope/gmope_test.cpp
                                       models/gmope/transfer_test.cpp)
# The tests read JSON fixtures; the models target keeps nlohmann-json private, so link it here once
# the suite's target exists (it is created after this file is read).
find_package(nlohmann_json 3 REQUIRED)
cmake_language(DEFER CALL target_link_libraries moegnn_models_tests PRIVATE
               nlohmann_json::nlohmann_json)
# Python interop: a C++ program writes a training checkpoint, tests/interop/safetensors_test.py
# reads it with the `safetensors` package. Registered only when MOEGNN_PYTHON_INTEROP names a
# Python with numpy and safetensors (scripts/test.sh makes one); label `interop`.
add_executable(moegnn_interop_write_checkpoint interop/write_checkpoint.cpp)
target_link_libraries(moegnn_interop_write_checkpoint PRIVATE moegnn::models moegnn::datasets
                                                              nlohmann_json::nlohmann_json)
moegnn_target_flags(moegnn_interop_write_checkpoint)
if(MOEGNN_PYTHON_INTEROP)
  add_test(NAME Interop.SafetensorsCheckpointLoadsInPython
           COMMAND ${MOEGNN_PYTHON_INTEROP} ${PROJECT_SOURCE_DIR}/tests/interop/safetensors_test.py
                   $<TARGET_FILE:moegnn_interop_write_checkpoint>)
  set_tests_properties(Interop.SafetensorsCheckpointLoadsInPython PROPERTIES LABELS interop)
endif()
# Mowst and Mowst* (models/mowst/): dispersions, gate, routed inference, end-to-end routing.
list(APPEND moegnn_models_test_sources models/mowst/confidence_test.cpp
  models/mowst/gate_test.cpp models/mowst/inference_test.cpp models/mowst/mowst_test.cpp)
# Recommendation (models/rec/, models/training/ranking_task): BPR sampler and loss, full-ranking
# metrics, LightGCN / BPR-MF and the registry, end-to-end BPR training through the Trainer.
list(APPEND moegnn_models_test_sources models/rec/bpr_test.cpp models/rec/ranking_test.cpp
  models/rec/lightgcn_test.cpp models/rec/sheaf4rec_test.cpp)
# Python interop: the full-ranking metrics against an independent numpy reference on the same
# scores (tests/interop/ranking_metrics_test.py, numpy only); label `interop`.
add_executable(moegnn_interop_write_ranking interop/write_ranking.cpp)
target_link_libraries(moegnn_interop_write_ranking PRIVATE moegnn::models moegnn::datasets
                                                           nlohmann_json::nlohmann_json)
moegnn_target_flags(moegnn_interop_write_ranking)
if(MOEGNN_PYTHON_INTEROP)
  add_test(NAME Interop.RankingMetricsMatchNumpy
           COMMAND ${MOEGNN_PYTHON_INTEROP} ${PROJECT_SOURCE_DIR}/tests/interop/ranking_metrics_test.py
                   $<TARGET_FILE:moegnn_interop_write_ranking>)
  set_tests_properties(Interop.RankingMetricsMatchNumpy PROPERTIES LABELS interop)
endif()
# Link prediction (models/link/, the link task): splits, NCN, end-to-end training.
list(APPEND moegnn_models_test_sources models/link/link_test.cpp
     models/link/link_determinism_test.cpp)
# Python oracles for link prediction: CN / AA / RA against networkx, Hits@K against ogb's
# Evaluator (ties, K above the number of negatives). Registered only with MOEGNN_PYTHON_INTEROP,
# whose Python needs numpy, networkx and ogb; label `interop`.
add_executable(moegnn_interop_link_oracle interop/link_oracle.cpp)
target_link_libraries(moegnn_interop_link_oracle PRIVATE moegnn::models
                                                         nlohmann_json::nlohmann_json)
moegnn_target_flags(moegnn_interop_link_oracle)
if(MOEGNN_PYTHON_INTEROP)
  add_test(NAME Interop.LinkHeuristicsAndHitsMatchNetworkxAndOgb
           COMMAND ${MOEGNN_PYTHON_INTEROP} ${PROJECT_SOURCE_DIR}/tests/interop/link_oracle_test.py
                   $<TARGET_FILE:moegnn_interop_link_oracle>)
  set_tests_properties(Interop.LinkHeuristicsAndHitsMatchNetworkxAndOgb PROPERTIES LABELS interop)
endif()
# Neural Sheaf Diffusion (models/nsd):
list(APPEND moegnn_models_test_sources models/nsd/sheaf_diffusion_test.cpp)
