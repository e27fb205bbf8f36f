# SPDX-License-Identifier: Apache-2.0
# Test sources of the models module, one list per area (paths relative to tests/).
list(APPEND moegnn_models_test_sources models/gcn_test.cpp models/trainer_test.cpp)
