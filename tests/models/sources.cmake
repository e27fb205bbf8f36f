# SPDX-License-Identifier: Apache-2.0
# Test sources of the models module, one list per area (paths relative to tests/).
list(APPEND moegnn_models_test_sources models/gcn_test.cpp models/trainer_test.cpp)
# Baseline models behind NodeModel (Mlp, Sage, Gat, Gin) and the registry:
list(APPEND moegnn_models_test_sources models/mlp_test.cpp models/sage_test.cpp
  models/gat_test.cpp models/gin_test.cpp models/registry_test.cpp)
