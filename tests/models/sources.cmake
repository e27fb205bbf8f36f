# SPDX-License-Identifier: Apache-2.0
# Test sources of the models module, one list per area (paths relative to tests/).
# Baseline models behind NodeModel (Mlp, Gcn, Sage, Gat, Gin), their shared layer stack and the
# registry:
list(APPEND moegnn_models_test_sources models/node/layer_stack_test.cpp models/node/mlp_test.cpp
  models/node/gcn_test.cpp models/node/sage_test.cpp models/node/gat_test.cpp models/node/gin_test.cpp
  models/registry_test.cpp models/model_io_test.cpp)
# Training infrastructure (models/training, checkpoints, OGB metrics, JSON log):
list(APPEND moegnn_models_test_sources models/training/metrics_test.cpp
  models/training/checkpoint_test.cpp models/training/trainer_test.cpp
  models/training/minibatch_test.cpp models/training/repeat_test.cpp)
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
# Neural Sheaf Diffusion (models/nsd):
list(APPEND moegnn_models_test_sources models/nsd/sheaf_diffusion_test.cpp)
