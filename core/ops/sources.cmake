# SPDX-License-Identifier: Apache-2.0
# Dense autograd ops of core (paths relative to core/): front-ends with checks, device switch and
# backward rules at the top level; CPU kernels under cpu/.
set(moegnn_core_ops_sources
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
target_sources(moegnn_core PRIVATE ${moegnn_core_ops_sources})
# GCC 12 reports a false -Wmaybe-uninitialized inside its own AVX-512 intrinsics
# (_mm512_undefined_ps, GCC bug 105593, fixed in GCC 13) wherever Eigen's GEMM or vectorised exp/log
# inline; with -Werror that breaks the build, so the warning is off for these files on GCC 12 only.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  set_source_files_properties(${moegnn_core_ops_sources} PROPERTIES COMPILE_OPTIONS
                              -Wno-maybe-uninitialized)
endif()
