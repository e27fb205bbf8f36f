# SPDX-License-Identifier: Apache-2.0
# The CUDA backend library, libmoegnn_cuda.so (MOEGNN_WITH_CUDA only): every module's CUDA kernels
# and table exports (moegnn_add_cuda_backend_sources), the CUDA runtime, cuBLAS and cuSPARSE. The
# programs and the static libraries do not link it: core/cuda_backend.cpp loads it with dlopen the
# first time CUDA is asked for, so CPU runs never map a CUDA library. It links its own private
# copies of core and graph (static, position-independent); a version script exports only the
# tables.
get_property(moegnn_cuda_backend_sources GLOBAL PROPERTY MOEGNN_CUDA_BACKEND_SOURCES)
add_library(moegnn_cuda SHARED ${moegnn_cuda_backend_sources})
set_target_properties(moegnn_cuda PROPERTIES
  OUTPUT_NAME moegnn_cuda
  LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}
  CUDA_SEPARABLE_COMPILATION OFF
  CXX_VISIBILITY_PRESET hidden
  CUDA_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON
  # The installed library finds the CUDA libraries where this build found them.
  INSTALL_RPATH_USE_LINK_PATH ON)
target_link_libraries(moegnn_cuda PRIVATE moegnn_core moegnn_graph CUDA::cudart CUDA::cublas
                                          CUDA::cusparse)
target_link_options(moegnn_cuda PRIVATE
  -Wl,--version-script=${CMAKE_CURRENT_LIST_DIR}/moegnn_cuda_backend.map -Wl,--no-undefined)
set_property(TARGET moegnn_cuda APPEND PROPERTY LINK_DEPENDS
             ${CMAKE_CURRENT_LIST_DIR}/moegnn_cuda_backend.map)
moegnn_target_flags(moegnn_cuda)
# Eigen (reached through core/types.h) calls constexpr std:: functions from host-device code;
# Eigen's own CUDA guide asks for --expt-relaxed-constexpr. -std=c++20 explicitly: graph/csr.h
# reaches core/index_array.h (concepts), and CMake 3.25 records no cuda_std_20 feature for nvcc 13,
# so CMAKE_CUDA_STANDARD 20 silently falls back to nvcc's default, C++17.
target_compile_options(moegnn_cuda PRIVATE
  $<$<COMPILE_LANGUAGE:CUDA>:-std=c++20 --expt-relaxed-constexpr -Xcompiler=-Wall,-Wextra>
  $<$<AND:$<COMPILE_LANGUAGE:CUDA>,$<BOOL:${MOEGNN_WARNINGS_AS_ERRORS}>>:--Werror=all-warnings>)
install(TARGETS moegnn_cuda LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
