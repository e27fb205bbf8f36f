# SPDX-License-Identifier: Apache-2.0
# Models and training loops (paths relative to models/).
target_sources(moegnn_models PRIVATE metrics.cpp)
# Baseline node-classification models behind the NodeModel interface, built on one shared layer
# stack (layer_stack.h), and their registry:
target_sources(moegnn_models PRIVATE layer_stack.cpp mlp.cpp gcn.cpp sage.cpp gat.cpp gin.cpp
                                     registry.cpp)
# Training infrastructure: OGB metrics, safetensors checkpoints, JSON-lines log, and the Trainer
# (full-graph and sampled mini-batch training, selection, early stopping, resume, repeats).
find_package(nlohmann_json 3 REQUIRED)
target_sources(moegnn_models PRIVATE
  checkpoint.cpp
  log.cpp
  metrics_ogb.cpp
  metrics_link.cpp
  training/early_stopping.cpp
  training/model_state.cpp
  training/runner.cpp
  training/trainer.cpp
  training/trainer_state.cpp
  training/progress.cpp
  training/repeat.cpp
  training/fit.cpp)
# nlohmann-json is header-only and used in .cpp files only; zlib gives the checkpoints' CRC-32.
target_link_libraries(moegnn_models PRIVATE $<BUILD_INTERFACE:nlohmann_json::nlohmann_json>
                                            ZLIB::ZLIB)
# Mowst and Mowst* (mixture of weak and strong experts, Zeng et al. 2024): models/mowst/.
target_sources(moegnn_models PRIVATE mowst/confidence.cpp mowst/gate.cpp mowst/mowst.cpp
  mowst/inference.cpp mowst/train.cpp mowst/analysis.cpp mowst/run.cpp)
