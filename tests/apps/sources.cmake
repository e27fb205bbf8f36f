# SPDX-License-Identifier: Apache-2.0
# Smoke tests of the programs in apps/ (included from apps/CMakeLists.txt, label apps): a short run
# must succeed and print the accuracy table; a wrong flag must fail with exit code 1.
add_test(NAME apps.NodeClassificationShortRun
         COMMAND moegnn_node_classification --epochs 5 --nodes 400 --threads 2)
set_tests_properties(apps.NodeClassificationShortRun PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "test accuracy")
add_test(NAME apps.NodeClassificationRejectsUnknownFlag
         COMMAND moegnn_node_classification --no-such-flag)
set_tests_properties(apps.NodeClassificationRejectsUnknownFlag PROPERTIES LABELS apps WILL_FAIL TRUE)
add_test(NAME apps.NodeClassificationRejectsBadValue
         COMMAND moegnn_node_classification --epochs 1 --homophily 1.5)
set_tests_properties(apps.NodeClassificationRejectsBadValue PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: csbm: homophily")
