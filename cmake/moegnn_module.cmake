# SPDX-License-Identifier: Apache-2.0
# moegnn_add_cuda_backend_sources(<files>...): CUDA kernels and table exports of the current folder,
# compiled into the backend library libmoegnn_cuda.so (cmake/moegnn_cuda_backend.cmake), which the
# programs load on first use instead of linking (core/cuda_backend.h). Recorded in any build; used
# only with MOEGNN_WITH_CUDA.
function(moegnn_add_cuda_backend_sources)
  foreach(file ${ARGN})
    set_property(GLOBAL APPEND PROPERTY MOEGNN_CUDA_BACKEND_SOURCES
                 ${CMAKE_CURRENT_SOURCE_DIR}/${file})
  endforeach()
endfunction()

# moegnn_add_module(<name> SOURCES ... [CUDA_SOURCES ...] [DEPS ...] [PRIVATE_DEPS ...])
# One folder = one library target `moegnn_<name>` with the alias `moegnn::<name>`. CUDA_SOURCES go
# to the CUDA backend library, not to this one.
function(moegnn_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;CUDA_SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(moegnn_${name} ${ARG_SOURCES})
  add_library(moegnn::${name} ALIAS moegnn_${name})
  set_target_properties(moegnn_${name} PROPERTIES EXPORT_NAME ${name} POSITION_INDEPENDENT_CODE ON)
  if(ARG_CUDA_SOURCES)
    moegnn_add_cuda_backend_sources(${ARG_CUDA_SOURCES})
  endif()
  target_include_directories(moegnn_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
    $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include/moegnn>
    $<INSTALL_INTERFACE:include>)  # so that #include <moegnn/core/tensor.h> works too
  target_compile_features(moegnn_${name} PUBLIC cxx_std_20)
  target_link_libraries(moegnn_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  moegnn_target_flags(moegnn_${name})
  install(TARGETS moegnn_${name} EXPORT moegnnTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  # Public headers only: detail/, cpu/ and cuda/ stay private to the module.
  install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/ DESTINATION include/moegnn/${name}
    FILES_MATCHING PATTERN "*.h"
    PATTERN "detail" EXCLUDE PATTERN "cpu" EXCLUDE PATTERN "cuda" EXCLUDE)
endfunction()

# Warnings, sanitizers and the native-ISA switch for one of our targets (never global flags).
function(moegnn_target_flags target)
  set(werror $<$<BOOL:${MOEGNN_WARNINGS_AS_ERRORS}>:-Werror>)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Wall -Wextra -Wpedantic ${werror}>)
  # GCC before 13 flags its own AVX-512 intrinsics (`__m512 __Y = __Y;` in _mm512_undefined_ps) as
  # uninitialized (-O1) or maybe-uninitialized (-O2/-O3) wherever Eigen's packet math is inlined
  # with -march=native (GCC bug 105593): a false positive in system headers that -Werror would turn
  # into a failed build. Newer GCC and Clang keep both warnings.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE
      $<$<COMPILE_LANGUAGE:CXX>:-Wno-uninitialized -Wno-maybe-uninitialized>)
  endif()
  if(MOEGNN_NATIVE)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-march=native>)
  endif()
  if(MOEGNN_SANITIZE)
    target_compile_options(${target} PRIVATE
      $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=${MOEGNN_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all>)
    target_link_options(${target} PUBLIC -fsanitize=${MOEGNN_SANITIZE})
    # GCC 12 at -O1 with sanitizers reports false -Wuninitialized inside its AVX-512 intrinsics
    # headers (Eigen's vector exp/min/max); keep -Werror usable for sanitizer builds.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE
        $<$<COMPILE_LANGUAGE:CXX>:-Wno-uninitialized -Wno-maybe-uninitialized>)
    endif()
  endif()
endfunction()
