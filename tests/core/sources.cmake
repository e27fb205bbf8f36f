# SPDX-License-Identifier: Apache-2.0
# Test sources of the core module, one list per area (paths relative to tests/).
list(APPEND moegnn_core_test_sources
  core/tape_test.cpp
  core/tensor_test.cpp
  core/device_test.cpp
  core/index_array_test.cpp
  core/rng_test.cpp
  core/parallel_test.cpp
  core/storage_test.cpp
  core/host_cache_test.cpp
  core/cuda_backend_test.cpp)
# core/ops (dense autograd ops):
list(APPEND moegnn_core_test_sources
  core/ops/activation_test.cpp
  core/ops/determinism_test.cpp
  core/ops/elementwise_test.cpp
  core/ops/linalg_test.cpp
  core/ops/loss_test.cpp
  core/ops/nn_test.cpp
  core/ops/reduce_test.cpp
  core/ops/shape_test.cpp)
# core/optim:
list(APPEND moegnn_core_test_sources
  core/optim/optimizer_test.cpp
  core/optim/sgd_test.cpp
  core/optim/adam_test.cpp
  core/optim/schedule_test.cpp
  core/optim/clip_test.cpp
  core/optim/training_test.cpp)
