# SPDX-License-Identifier: Apache-2.0
# Test sources of the models module, one list per area (paths relative to tests/).
list(APPEND moegnn_models_test_sources models/gcn_test.cpp models/trainer_test.cpp)
# Baseline models behind NodeModel (Mlp, Sage, Gat, Gin) and the registry:
list(APPEND moegnn_models_test_sources models/mlp_test.cpp models/sage_test.cpp
  models/gat_test.cpp models/gin_test.cpp models/registry_test.cpp)
# Training infrastructure (models/training, checkpoints, OGB metrics, JSON log):
# Not yet in the suite: these tests were still being written at the end of stop 7 and do not
# compile; re-add them when they do: models/training/{metrics,checkpoint,trainer,minibatch,repeat}_test.cpp
list(APPEND moegnn_models_test_sources)
# The tests read JSON fixtures; the models target keeps nlohmann-json private, so link it here once
# the suite's target exists (it is created after this file is read).
find_package(nlohmann_json 3 REQUIRED)
cmake_language(DEFER CALL target_link_libraries moegnn_models_tests PRIVATE
               nlohmann_json::nlohmann_json)
