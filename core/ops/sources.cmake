# SPDX-License-Identifier: Apache-2.0
# Dense autograd ops of core (paths relative to core/): front-ends with checks, device switch and
# backward rules at the top level; CPU kernels under cpu/.
target_sources(moegnn_core PRIVATE
  ops/activation.cpp
  ops/elementwise.cpp
  ops/linalg.cpp
  ops/loss.cpp
  ops/nn.cpp
  ops/reduce.cpp
  ops/shape.cpp
  ops/cpu/linalg.cpp
  ops/cpu/loss.cpp
  ops/cpu/nn.cpp
  ops/cpu/reduce.cpp
  ops/cpu/shape.cpp)
# CUDA kernels: compiled into the backend library libmoegnn_cuda.so with MOEGNN_WITH_CUDA.
moegnn_add_cuda_backend_sources(
  ops/cuda/elementwise.cu
  ops/cuda/linalg.cu
  ops/cuda/loss.cu
  ops/cuda/nn.cu
  ops/cuda/reduce.cu
  ops/cuda/shape.cu)
