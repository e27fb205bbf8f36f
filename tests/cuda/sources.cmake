# SPDX-License-Identifier: Apache-2.0
# Test sources of the CUDA backend (paths relative to tests/); built only with MOEGNN_WITH_CUDA.
# Every test that needs a device skips with a message when none is visible.
list(APPEND moegnn_cuda_test_sources
  cuda/check_test.cpp
  cuda/runtime_test.cpp
  cuda/core_ops_test.cpp
  cuda/ops_test.cpp
  cuda/optim_test.cpp
  cuda/spmm_test.cpp
  cuda/message_passing_test.cpp
  cuda/training_test.cpp)
