# SPDX-License-Identifier: Apache-2.0
# Optimizers, gradient clipping and learning-rate schedules (paths relative to core/).
target_sources(moegnn_core PRIVATE
  optim/optimizer.cpp
  optim/sgd.cpp
  optim/adam.cpp
  optim/adamw.cpp
  optim/detail/adam_update.cpp
  optim/schedule.cpp
  optim/clip.cpp)
# The Adam loop calls sqrt on values that are never negative; without errno handling the call is a
# plain vsqrtps and the loop vectorises. Results do not change (sqrt is correctly rounded either way).
set_source_files_properties(optim/detail/adam_update.cpp PROPERTIES
  COMPILE_OPTIONS "$<$<CXX_COMPILER_ID:GNU,Clang>:-fno-math-errno>")
# The fused CUDA steps: compiled into the backend library libmoegnn_cuda.so with MOEGNN_WITH_CUDA.
moegnn_add_cuda_backend_sources(optim/cuda/update.cu)
