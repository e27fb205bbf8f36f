# SPDX-License-Identifier: Apache-2.0
# Test sources of the core module, one list per area (paths relative to tests/).
list(APPEND moegnn_core_test_sources
  core/tape_test.cpp)
# core/ops (dense autograd ops):
list(APPEND moegnn_core_test_sources)
# core/optim:
list(APPEND moegnn_core_test_sources)
