# SPDX-License-Identifier: Apache-2.0
# Tests of the developer tooling in scripts/, labelled `tooling`: the include-direction check's
# self-test (a clean fake tree passes, planted violations are reported), the check on this tree, and
# the check that README.md's example is examples/readme_example.cpp.
find_program(MOEGNN_BASH bash)
if(NOT MOEGNN_BASH)
  message(STATUS "moegnn: bash not found; the tooling tests are not registered")
  return()
endif()
add_test(NAME Tooling.CheckIncludesSelfTest
  COMMAND ${MOEGNN_BASH} ${PROJECT_SOURCE_DIR}/scripts/check_includes_test.sh)
add_test(NAME Tooling.IncludeDirection
  COMMAND ${MOEGNN_BASH} ${PROJECT_SOURCE_DIR}/scripts/check_includes.sh ${PROJECT_SOURCE_DIR})
add_test(NAME Tooling.ReadmeExampleInSync
  COMMAND ${MOEGNN_BASH} ${PROJECT_SOURCE_DIR}/scripts/check_readme.sh)
set_tests_properties(Tooling.CheckIncludesSelfTest Tooling.IncludeDirection Tooling.ReadmeExampleInSync
  PROPERTIES LABELS tooling TIMEOUT 60)
