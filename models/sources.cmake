# SPDX-License-Identifier: Apache-2.0
# Models and training loops (paths relative to models/).
# Baseline node-classification models behind the NodeModel interface, built on one shared layer
# stack (layer_stack.h), and their registry:
target_sources(moegnn_models PRIVATE node/node_model.cpp node/layer_stack.cpp node/mlp.cpp node/gcn.cpp node/sage.cpp
                                     node/gat.cpp node/gin.cpp options.cpp registry.cpp
                                     nsd/sheaf_diffusion.cpp
                                     model_io.cpp)
# Training infrastructure: OGB metrics, safetensors checkpoints, JSON-lines log, and the Trainer
# (full-graph and sampled mini-batch training, selection, early stopping, resume, repeats).
find_package(nlohmann_json 3 REQUIRED)
target_sources(moegnn_models PRIVATE
  training/checkpoint.cpp
  training/log.cpp
  training/metrics.cpp
  training/metrics_ogb.cpp
  training/metrics_link.cpp
  training/early_stopping.cpp
  training/model_state.cpp
  training/batch_source.cpp
  training/node_task.cpp
  training/stepper.cpp
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
  mowst/inference.cpp mowst/losses.cpp mowst/task.cpp mowst/task_turns.cpp mowst/task_state.cpp
  mowst/train.cpp mowst/analysis.cpp mowst/run.cpp mowst/method.cpp)
# Graph-level learning: the GraphModel interface, the GIN graph classifier, their registry and
# the Trainer's graph-classification task.
target_sources(moegnn_models PRIVATE graph/gin_graph.cpp graph/graph_registry.cpp
                                     training/graph_task.cpp)
# GMoPE pieces: the parameter-free SVD feature alignment (randomised truncated SVD).
target_sources(moegnn_models PRIVATE gmope/feature_alignment.cpp)
# GMoPE proper: prompted experts, router, losses, the model; pretraining and fine-tuning.
target_sources(moegnn_models PRIVATE gmope/expert.cpp gmope/router.cpp gmope/losses.cpp
                                     gmope/gmope.cpp gmope/gmope_io.cpp gmope/pretrain.cpp
                                     gmope/finetune.cpp)
# The method table above the model registry: every model, and the mixture methods (Mowst).
target_sources(moegnn_models PRIVATE methods.cpp)
# Recommendation (models/rec/): the recommender interface and registry, BPR-MF, LightGCN, the BPR
# sampler and loss, full-ranking metrics; the ranking task the Trainer runs.
target_sources(moegnn_models PRIVATE rec/rec_model.cpp rec/lightgcn.cpp rec/registry.cpp rec/bpr.cpp
  rec/ranking.cpp training/ranking_task.cpp)
target_sources(moegnn_models PRIVATE rec/sheaf4rec.cpp)  # Sheaf4Rec (layers/sheaf)
# Link prediction (NCN, GAE; models/link/) and its task for the Trainer.
target_sources(moegnn_models PRIVATE link/encoder.cpp link/predictor.cpp link/link_split.cpp
                                     training/link_task.cpp)
