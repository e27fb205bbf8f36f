# SPDX-License-Identifier: Apache-2.0
# Models and training loops (paths relative to models/).
target_sources(moegnn_models PRIVATE
  gcn.cpp
  metrics.cpp
  trainer.cpp)
# Baseline node-classification models behind the NodeModel interface, and their registry:
target_sources(moegnn_models PRIVATE mlp.cpp sage.cpp gat.cpp gin.cpp registry.cpp)
