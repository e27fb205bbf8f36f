# SPDX-License-Identifier: Apache-2.0
# Smoke tests of the programs in apps/ (included from apps/CMakeLists.txt, label apps): short runs
# must succeed and print the results table; a wrong flag, value or config key must fail saying
# what is accepted; --out, --resume and a real dataset are checked by node_classification_test.sh.
set(nc moegnn_node_classification)
set(nc_script ${PROJECT_SOURCE_DIR}/tests/apps/node_classification_test.sh)
set(nc_data ${PROJECT_SOURCE_DIR}/tests/apps/data)

# No flags: the README's main job (GCN on the embedded 3000-node CSBM graph, a few seconds).
add_test(NAME apps.NodeClassificationDefaultRun COMMAND ${nc})
set_tests_properties(apps.NodeClassificationDefaultRun PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "test accuracy +[0-9.]+ ± [0-9.]+")
add_test(NAME apps.NodeClassificationShortRun
         COMMAND ${nc} --epochs 5 --nodes 400 --threads 2 --model gat --runs 2)
set_tests_properties(apps.NodeClassificationShortRun PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "test accuracy")
add_test(NAME apps.NodeClassificationSampledTraining
         COMMAND ${nc} --epochs 3 --nodes 400 --threads 2 --model sage --batch-size 64
                 --fanouts 5 5)
set_tests_properties(apps.NodeClassificationSampledTraining PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "sampled mini-batches")
add_test(NAME apps.NodeClassificationMowst
         COMMAND ${nc} --epochs 5 --nodes 400 --threads 2 --model mowst-star --strong sage --runs 2)
set_tests_properties(apps.NodeClassificationMowst PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "weak mlp, strong sage.*test accuracy +[0-9.]+ ± [0-9.]+")
add_test(NAME apps.NodeClassificationRejectsUnknownFlag COMMAND ${nc} --no-such-flag)
set_tests_properties(apps.NodeClassificationRejectsUnknownFlag PROPERTIES LABELS apps WILL_FAIL TRUE)
add_test(NAME apps.NodeClassificationRejectsBadModelListingChoices COMMAND ${nc} --model gcnn)
set_tests_properties(apps.NodeClassificationRejectsBadModelListingChoices PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "gcnn not in .*mlp.*gat")
add_test(NAME apps.NodeClassificationRejectsBadValue
         COMMAND ${nc} --epochs 1 --homophily 1.5)
set_tests_properties(apps.NodeClassificationRejectsBadValue PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: csbm: homophily")
# The file sets sage, hidden 8, batch norm, 3 epochs; the command line overrides the model.
add_test(NAME apps.NodeClassificationConfigFile
         COMMAND ${nc} --config ${nc_data}/node_classification_config.json --model mlp)
set_tests_properties(apps.NodeClassificationConfigFile PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "model +mlp: hidden 8, layers 2.*norm batch.*test accuracy")
add_test(NAME apps.NodeClassificationRejectsUnknownConfigKey
         COMMAND ${nc} --config ${nc_data}/node_classification_bad_config.json)
set_tests_properties(apps.NodeClassificationRejectsUnknownConfigKey PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: --config: unknown key 'epochz'")
foreach(what out resume cora)
  add_test(NAME apps.NodeClassification_${what} COMMAND bash ${nc_script} $<TARGET_FILE:${nc}> ${what})
  set_tests_properties(apps.NodeClassification_${what} PROPERTIES LABELS apps SKIP_RETURN_CODE 77)
endforeach()
# moegnn-data generate: a small power-law directory, then info reading it back (fixture order).
set(data_gen_dir ${CMAKE_CURRENT_BINARY_DIR}/powerlaw_smoke)
add_test(NAME apps.DataGeneratePowerlaw
         COMMAND moegnn_data generate ${data_gen_dir} --nodes 1000 --features 8 --chunk-rows 100)
set_tests_properties(apps.DataGeneratePowerlaw PROPERTIES LABELS apps FIXTURES_SETUP powerlaw_dir
  PASS_REGULAR_EXPRESSION "1000 nodes, [0-9]+ stored edges, 8 features in 10 chunks of 100 rows")
add_test(NAME apps.DataInfoPowerlaw COMMAND moegnn_data info ${data_gen_dir})
set_tests_properties(apps.DataInfoPowerlaw PROPERTIES LABELS apps FIXTURES_REQUIRED powerlaw_dir
  PASS_REGULAR_EXPRESSION "powerlaw-n1000-f8-c8-s1.*nodes +1000")
add_test(NAME apps.DataGenerateRejectsBadOptions
         COMMAND moegnn_data generate ${data_gen_dir}_bad --nodes 1)
set_tests_properties(apps.DataGenerateRejectsBadOptions PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: powerlaw: num_nodes is 1")
# moegnn-mowst-experiments: a 3-epoch grid on one generated graph prints one table row whose cells
# name the setting chosen on validation; bad flags and a bad csbm spec fail saying what is accepted.
set(mx moegnn_mowst_experiments)
add_test(NAME apps.MowstExperimentsGridRow COMMAND ${mx} --runs 2 --epochs 3 --grid csbm:0.6)
set_tests_properties(apps.MowstExperimentsGridRow PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION
  "\\| csbm:0.6 \\(2 runs\\) \\| [0-9.]+ ± [0-9.]+ \\[dp 0\\.[25], lr 0\\.0[0-9]+\\].*% MLP\\) \\[pre (strong|both), gdp 0\\.[15]\\] \\|")
add_test(NAME apps.MowstExperimentsRejectsBadRuns COMMAND ${mx} --runs 0 csbm:0.5)
set_tests_properties(apps.MowstExperimentsRejectsBadRuns PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "--runs: Value 0 not in range 1 to 1000")
add_test(NAME apps.MowstExperimentsRejectsBadHomophily COMMAND ${mx} --epochs 1 csbm:1.5)
set_tests_properties(apps.MowstExperimentsRejectsBadHomophily PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: moegnn-mowst-experiments: dataset 'csbm:1.5': homophily")
