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
# Mowst's row reports every column like a baseline's: no nan train accuracy.
set_tests_properties(apps.NodeClassificationMowst PROPERTIES FAIL_REGULAR_EXPRESSION "[0-9] +nan +[0-9]")
# A bound is said as the bound, not as CLI11's double range (a 300-digit number).
add_test(NAME apps.NodeClassificationReadableRangeError COMMAND ${nc} --epochs 0)
set_tests_properties(apps.NodeClassificationReadableRangeError PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "--epochs: must be >= 1 \\(got 0\\)" FAIL_REGULAR_EXPRESSION "[0-9]{40}")
add_test(NAME apps.NodeClassificationVersion COMMAND ${nc} --version)
set_tests_properties(apps.NodeClassificationVersion PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "^moegnn-node-classification [0-9]+\\.[0-9]+\\.[0-9]+ \\(commit ([0-9a-f]+|unknown), (-march=native|portable)\\)")
add_test(NAME apps.NodeClassificationSuggestsMistypedFlag COMMAND ${nc} --hiden 8)
set_tests_properties(apps.NodeClassificationSuggestsMistypedFlag PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: .*--hiden.*; did you mean --hidden\\?")
add_test(NAME apps.NodeClassificationSuggestsMistypedDataset COMMAND ${nc} --dataset coar)
set_tests_properties(apps.NodeClassificationSuggestsMistypedDataset PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "did you mean 'cora'\\?")
# --out, --save and --log are checked before training, not after hours of it.
add_test(NAME apps.NodeClassificationChecksOutputPathsFirst
         COMMAND ${nc} --epochs 1 --out ${CMAKE_CURRENT_BINARY_DIR}/no/such/folder/r.json)
set_tests_properties(apps.NodeClassificationChecksOutputPathsFirst PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: --out: folder '.*no/such/folder' of .* does not exist")
add_test(NAME apps.NodeClassificationMissingDataNamesTheFlags
         COMMAND ${nc} --dataset cora --data-dir ${CMAKE_CURRENT_BINARY_DIR}/no-data --epochs 1)
set_tests_properties(apps.NodeClassificationMissingDataNamesTheFlags PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "missing file .*downloads are off: point the data directory \\(--data-dir.* or pass --download")
# PyG's spelling of a dataset (here a capitalised name) and a generated directory by path.
add_test(NAME apps.NodeClassificationAcceptsPygNames
         COMMAND ${nc} --dataset Texas --data-dir ${PROJECT_SOURCE_DIR}/../shared/datasets
                 --epochs 2 --quiet)
set_tests_properties(apps.NodeClassificationAcceptsPygNames PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "dataset +texas: 183 nodes")
add_test(NAME apps.NodeClassificationTrainsOnAGeneratedDirectory
         COMMAND ${nc} --dataset ${CMAKE_CURRENT_BINARY_DIR}/powerlaw_smoke --epochs 2 --quiet)
set_tests_properties(apps.NodeClassificationTrainsOnAGeneratedDirectory PROPERTIES LABELS apps
  FIXTURES_REQUIRED powerlaw_dir PASS_REGULAR_EXPRESSION "1000 nodes.*test accuracy")
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
         COMMAND moegnn_data generate ${data_gen_dir} --nodes 1000 --features 8 --chunk-rows 100
                 --force)
set_tests_properties(apps.DataGeneratePowerlaw PROPERTIES LABELS apps FIXTURES_SETUP powerlaw_dir
  PASS_REGULAR_EXPRESSION "1000 nodes, [0-9]+ stored edges, 8 features in 10 chunks of 100 rows")
add_test(NAME apps.DataInfoPowerlaw COMMAND moegnn_data info ${data_gen_dir})
set_tests_properties(apps.DataInfoPowerlaw PROPERTIES LABELS apps FIXTURES_REQUIRED powerlaw_dir
  PASS_REGULAR_EXPRESSION "powerlaw-n1000-f8-c8-s1.*nodes +1000")
# A failed convert (here: the cache file's path is taken by a directory, after the graph file is
# written) leaves no partial output.
# A non-empty directory is refused without --force (the fixture's directory holds a dataset), and a
# killed run's temporaries are removed by the next write.
add_test(NAME apps.DataGenerateRefusesNonEmptyDirectory
         COMMAND moegnn_data generate ${data_gen_dir} --nodes 1000 --features 8)
set_tests_properties(apps.DataGenerateRefusesNonEmptyDirectory PROPERTIES LABELS apps
  FIXTURES_REQUIRED powerlaw_dir
  PASS_REGULAR_EXPRESSION "error: moegnn-data generate: directory .* holds [0-9]+ entries vs an empty or new directory; pass --force")
add_test(NAME apps.DataGenerateForceRemovesStaleTemporaries
         COMMAND sh -c "d=${CMAKE_CURRENT_BINARY_DIR}/powerlaw_force && mkdir -p $d && touch $d/.features.npy.tmp.123.0 $d/keep && $<TARGET_FILE:moegnn_data> generate $d --nodes 200 --features 4 --force && test ! -e $d/.features.npy.tmp.123.0 && test -e $d/manifest.npy")
set_tests_properties(apps.DataGenerateForceRemovesStaleTemporaries PROPERTIES LABELS apps)
add_test(NAME apps.DataConvertFailureLeavesNothing
         COMMAND sh -c "d=${CMAKE_CURRENT_BINARY_DIR}/convert_fail && rm -rf $d && mkdir -p $d/cora.mgd && if $<TARGET_FILE:moegnn_data> convert cora $d/cora.mgd --offline --data-dir ${PROJECT_SOURCE_DIR}/../shared/datasets; then exit 1; fi; test ! -e $d/cora.mgd.graph")
set_tests_properties(apps.DataConvertFailureLeavesNothing PROPERTIES LABELS apps)
# Every program exits 1 (not CLI11's own codes) on a bad flag or value; --seed rejects negatives.
add_test(NAME apps.MowstExperimentsBadFlagExitsOne
         COMMAND sh -c "$<TARGET_FILE:moegnn_mowst_experiments> --runs 0 csbm:0.5; test $? -eq 1")
set_tests_properties(apps.MowstExperimentsBadFlagExitsOne PROPERTIES LABELS apps)
add_test(NAME apps.NodeClassificationRejectsNegativeSeed
         COMMAND sh -c "$<TARGET_FILE:moegnn_node_classification> --seed -1 --epochs 1 2>&1; test $? -eq 1")
set_tests_properties(apps.NodeClassificationRejectsNegativeSeed PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "--seed.*-1")
add_test(NAME apps.DataInfoJson COMMAND moegnn_data info ${data_gen_dir} --json)
set_tests_properties(apps.DataInfoJson PROPERTIES LABELS apps FIXTURES_REQUIRED powerlaw_dir
  PASS_REGULAR_EXPRESSION "\"kind\": \"node\",.*\"nodes\": 1000,")
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

# A CUDA build's programs load the CUDA backend (libmoegnn_cuda.so) only when CUDA is asked for
# (core/cuda_backend.h): they link no CUDA library, a CPU command runs under a 400 MB address-space
# limit, and a hidden backend leaves CPU training working and --device cuda refused with the reason.
if(MOEGNN_WITH_CUDA)
  add_test(NAME apps.ProgramsLinkNoCudaLibrary
           COMMAND sh -c "for p in $<TARGET_FILE:moegnn_data> $<TARGET_FILE:${nc}> $<TARGET_FILE:moegnn_mowst_experiments>; do if ldd $p | grep -E 'libcudart|libcublas|libcusparse'; then echo \"$p links CUDA\"; exit 1; fi; done; echo 'no CUDA library linked'")
  set_tests_properties(apps.ProgramsLinkNoCudaLibrary PROPERTIES LABELS apps
    PASS_REGULAR_EXPRESSION "no CUDA library linked")
  add_test(NAME apps.DataListUnderAddressSpaceLimit
           COMMAND sh -c "ulimit -v 400000 && exec $<TARGET_FILE:moegnn_data> list")
  set_tests_properties(apps.DataListUnderAddressSpaceLimit PROPERTIES LABELS apps
    PASS_REGULAR_EXPRESSION "cora")
  add_test(NAME apps.CpuTrainingUnderAddressSpaceLimit
           COMMAND sh -c "ulimit -v 400000 && exec $<TARGET_FILE:${nc}> --device cpu --epochs 3 --nodes 300 --threads 1")
  set_tests_properties(apps.CpuTrainingUnderAddressSpaceLimit PROPERTIES LABELS apps
    PASS_REGULAR_EXPRESSION "test accuracy")
  add_test(NAME apps.HiddenCudaBackendTrainsOnCpu
           COMMAND ${CMAKE_COMMAND} -E env MOEGNN_CUDA_BACKEND=${CMAKE_CURRENT_BINARY_DIR}/no-backend.so
                   $<TARGET_FILE:${nc}> --device auto --epochs 3 --nodes 300)
  set_tests_properties(apps.HiddenCudaBackendTrainsOnCpu PROPERTIES LABELS apps
    PASS_REGULAR_EXPRESSION "test accuracy")
  add_test(NAME apps.HiddenCudaBackendRefusesCuda
           COMMAND ${CMAKE_COMMAND} -E env MOEGNN_CUDA_BACKEND=${CMAKE_CURRENT_BINARY_DIR}/no-backend.so
                   $<TARGET_FILE:${nc}> --device cuda --epochs 3 --nodes 300)
  set_tests_properties(apps.HiddenCudaBackendRefusesCuda PROPERTIES LABELS apps
    PASS_REGULAR_EXPRESSION "device 'cuda' but MOEGNN_CUDA_BACKEND=.*no-backend.so is not a file")
endif()

# moegnn-graph-classification: the no-flag run (GIN, 10 folds of generated labelled graphs), a
# short TU run with --out, bad flags and a missing dataset.
set(gc moegnn_graph_classification)
add_test(NAME apps.GraphClassificationDefaultRun COMMAND ${gc} --threads 2)
set_tests_properties(apps.GraphClassificationDefaultRun PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "10-fold stratified.*folds run +10.*test accuracy +[0-9.]+ ± [0-9.]+")
add_test(NAME apps.GraphClassificationMutagShortRun
         COMMAND sh -c "$<TARGET_FILE:${gc}> --dataset mutag --data-dir ${PROJECT_SOURCE_DIR}/../shared/datasets --epochs 2 --fold 1 2 --hidden 8 --pool max --quiet --out ${CMAKE_CURRENT_BINARY_DIR}/gc_mutag.json && grep -q '\"test_accuracy\"' ${CMAKE_CURRENT_BINARY_DIR}/gc_mutag.json && cat ${CMAKE_CURRENT_BINARY_DIR}/gc_mutag.json")
set_tests_properties(apps.GraphClassificationMutagShortRun PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "\"graphs\": 188,.*\"folds\": \\[.*\"fold\": 2")
add_test(NAME apps.GraphClassificationRejectsBadPool COMMAND ${gc} --epochs 1 --pool min)
set_tests_properties(apps.GraphClassificationRejectsBadPool PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: .*pool.*min.*sum")
add_test(NAME apps.GraphClassificationMissingDataset
         COMMAND ${gc} --dataset nci1 --data-dir ${CMAKE_CURRENT_BINARY_DIR}/no-data)
set_tests_properties(apps.GraphClassificationMissingDataset PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: --dataset: 'nci1': no folder .*NCI1")
add_test(NAME apps.GraphClassificationBadEpochs COMMAND ${gc} --epochs 0)
set_tests_properties(apps.GraphClassificationBadEpochs PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "--epochs: must be >= 1 \\(got 0\\)")

# moegnn-recommend: no flags trains LightGCN on a generated ratings graph and prints the metrics;
# K and split errors say the range; the rest needs files (recommend_test.sh).
set(rc moegnn_recommend)
add_test(NAME apps.RecommendDefaultRun COMMAND ${rc} --quiet --epochs 5)
set_tests_properties(apps.RecommendDefaultRun PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "generated: [0-9]+ users.*test \\(mean.*\n +10 +[0-9.]+ ± ")
add_test(NAME apps.RecommendRejectsKBeyondItems
         COMMAND ${rc} --quiet --epochs 1 --users 50 --items 30 --ratings 600 --ks 10 40 --metric-k 10)
set_tests_properties(apps.RecommendRejectsKBeyondItems PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: .*K 40 vs \\[1, [0-9]+\\]")
add_test(NAME apps.RecommendRejectsEmptyTestSplit
         COMMAND ${rc} --quiet --epochs 1 --users 50 --items 30 --ratings 600 --test-fraction 0)
set_tests_properties(apps.RecommendRejectsEmptyTestSplit PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: .*test split of generated is empty")
add_test(NAME apps.RecommendNeedsModelFile COMMAND ${rc} recommend --user 1)
set_tests_properties(apps.RecommendNeedsModelFile PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: .*no --model-file")
add_test(NAME apps.RecommendRejectsKZero
         COMMAND ${rc} --quiet --epochs 1 --users 50 --items 30 --ratings 600 --ks 0 10)
set_tests_properties(apps.RecommendRejectsKZero PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: .*--ks .* vs an ascending list of K >= 1")
foreach(what out resume model model-sheaf4rec badfile ml-100k)
  add_test(NAME apps.Recommend_${what}
           COMMAND bash ${PROJECT_SOURCE_DIR}/tests/apps/recommend_test.sh $<TARGET_FILE:${rc}> ${what})
  set_tests_properties(apps.Recommend_${what} PROPERTIES LABELS apps SKIP_RETURN_CODE 77)
endforeach()
# moegnn-link-prediction: NCN on the generated graph with no flags, short GAE / heuristic runs,
# predictions, and readable errors for bad flags and pair ids.
set(lp moegnn_link_prediction)
add_test(NAME apps.LinkPredictionDefaultRun COMMAND ${lp})
set_tests_properties(apps.LinkPredictionDefaultRun PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "test hits@100 +[0-9.]+ ± [0-9.]+")
add_test(NAME apps.LinkPredictionPredicts
         COMMAND ${lp} --nodes 300 --epochs 2 --batch-size 64 --runs 2 --threads 2 --quiet
                 --predict-pairs 0-1,5-7 --predict-node 3 --top-k 4)
set_tests_properties(apps.LinkPredictionPredicts PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "predict 0-1 0\\.[0-9]+.*predict 5-7 .*top 4: 3-[0-9]+ ")
add_test(NAME apps.LinkPredictionGaeDot
         COMMAND ${lp} --nodes 300 --epochs 2 --batch-size 64 --model gae --encoder gcn
                 --decoder dot --mplayers 2 --quiet)
set_tests_properties(apps.LinkPredictionGaeDot PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "model gae.*test hits@100")
add_test(NAME apps.LinkPredictionHeuristic COMMAND ${lp} --nodes 300 --model ra --runs 3 --quiet)
set_tests_properties(apps.LinkPredictionHeuristic PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "model ra, 3 run.*test_auc")
add_test(NAME apps.LinkPredictionReadableRangeError COMMAND ${lp} --hits-k 0)
set_tests_properties(apps.LinkPredictionReadableRangeError PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "--hits-k: must be >= 1 \\(got 0\\)")
add_test(NAME apps.LinkPredictionPairOutOfRange
         COMMAND ${lp} --nodes 300 --epochs 1 --batch-size 64 --quiet --predict-pairs 0-300)
set_tests_properties(apps.LinkPredictionPairOutOfRange PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: --predict-pairs: pair 0-300 vs node ids in \\[0, 300\\)")
add_test(NAME apps.LinkPredictionResumeNeedsSave COMMAND ${lp} --resume)
set_tests_properties(apps.LinkPredictionResumeNeedsSave PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: --resume: given without --save")
# --out, --save, --log and the --init checkpoints are checked before any training.
add_test(NAME apps.LinkPredictionChecksOutputPathsFirst
         COMMAND ${lp} --epochs 1 --out ${CMAKE_CURRENT_BINARY_DIR}/no/such/folder/r.json)
set_tests_properties(apps.LinkPredictionChecksOutputPathsFirst PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: --out: folder '.*no/such/folder' of .* does not exist"
  FAIL_REGULAR_EXPRESSION "epoch|test hits")
add_test(NAME apps.LinkPredictionSaveIsNotAFolder COMMAND ${lp} --epochs 1 --save ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(apps.LinkPredictionSaveIsNotAFolder PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: --save: '.*' is a directory vs a file path")
add_test(NAME apps.LinkPredictionInitMustExist
         COMMAND ${lp} --epochs 1 --model ncnc --runs 2 --init ${CMAKE_CURRENT_BINARY_DIR}/no-ncn.ckpt)
set_tests_properties(apps.LinkPredictionInitMustExist PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "error: --init: run 0 reads '.*no-ncn.ckpt', which is not a file")
# K <= 0 anywhere a K is given.
# A name flag's wrong value is said with the accepted names, not the enum's integers.
add_test(NAME apps.LinkPredictionRejectsBadCompletion COMMAND ${lp} --model ncnc --completion bogus)
set_tests_properties(apps.LinkPredictionRejectsBadCompletion PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "--completion: 'bogus' vs one of ncn, reference" FAIL_REGULAR_EXPRESSION "->")
# --out records a name flag by its name (a record fed back as --config must parse).
add_test(NAME apps.LinkPredictionOutRecordsNames
         COMMAND sh -c "$<TARGET_FILE:${lp}> --nodes 300 --epochs 1 --batch-size 64 --quiet --model ncnc --completion Reference --out ${CMAKE_CURRENT_BINARY_DIR}/lp_names.json && grep -o '\"completion\": \"[a-z0-9]*\"' ${CMAKE_CURRENT_BINARY_DIR}/lp_names.json")
set_tests_properties(apps.LinkPredictionOutRecordsNames PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "\"completion\": \"reference\"")
add_test(NAME apps.LinkPredictionRejectsTopKZero COMMAND ${lp} --epochs 1 --predict-node 1 --top-k 0)
set_tests_properties(apps.LinkPredictionRejectsTopKZero PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "--top-k: must be >= 1 \\(got 0\\)")

# moegnn-gmope: the no-flag run (pretraining on two generated graphs, every arm on a third), and
# pretrain -> checkpoint -> finetune (node 5-shot, link) / evaluate with --out and errors.
add_test(NAME apps.GmopeDefaultRun COMMAND moegnn_gmope --threads 2 --quiet --pretrain-epochs 5
                                           --epochs 10)
set_tests_properties(apps.GmopeDefaultRun PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "target +generated \\(node, acc\\).*prompt-only +[0-9.]+ ± [0-9.]+")
add_test(NAME apps.GmopePretrainFinetuneEvaluate
         COMMAND bash ${PROJECT_SOURCE_DIR}/tests/apps/gmope_test.sh $<TARGET_FILE:moegnn_gmope>)
set_tests_properties(apps.GmopePretrainFinetuneEvaluate PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "gmope: ok")

# moegnn-data partition: the generated default reports cut, halo and balance and writes nothing;
# cora into 2 random parts writes the part directories and a manifest naming the method; a method
# outside metis|random is refused by the flag's transformer.
add_test(NAME apps.DataPartitionDefault COMMAND moegnn_data partition --nodes 2000 --parts 3)
set_tests_properties(apps.DataPartitionDefault PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "3 parts, metis \\(node \\+ train weights\\).*edge cut +[0-9]+.*halo volume +[0-9]+.*no --out: nothing written")
add_test(NAME apps.DataPartitionWritesParts
         COMMAND sh -c "d=${CMAKE_CURRENT_BINARY_DIR}/cora_parts && rm -rf $d && $<TARGET_FILE:moegnn_data> partition cora --parts 2 --method random --seed 3 --out $d --offline --data-dir ${PROJECT_SOURCE_DIR}/../shared/datasets && test -e $d/part-0/graph.csr && test -e $d/part-1/features.arr && grep -q '\"method\": \"random\"' $d/manifest.json && grep -q '\"num_parts\": 2' $d/manifest.json && echo parts-ok")
set_tests_properties(apps.DataPartitionWritesParts PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "dataset +cora: 2708 nodes.*wrote .*cora_parts.*parts-ok")
add_test(NAME apps.DataPartitionRejectsBadMethod COMMAND moegnn_data partition --method kahip)
set_tests_properties(apps.DataPartitionRejectsBadMethod PROPERTIES LABELS apps
  PASS_REGULAR_EXPRESSION "--method: 'kahip' vs one of metis, random")
