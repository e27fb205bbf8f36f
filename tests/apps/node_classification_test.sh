#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Smoke tests of moegnn-node-classification that need more than one command or a file check:
#   node_classification_test.sh <binary> out      --out writes complete JSON with the summary
#   node_classification_test.sh <binary> resume   a run resumed from a 3-epoch checkpoint ends
#                                                 with the same numbers as a straight 6-epoch run
#   node_classification_test.sh <binary> cora     trains on Cora from the shared datasets (exit 77
#                                                 = skipped when missing; under CI=true it fails)
set -euo pipefail
bin=$1
what=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(--nodes 300 --epochs 6 --hidden 8 --threads 2 --quiet)

numbers() {  # the per-run metrics of a results file, one per line
  grep -E '"(best_epoch|train_accuracy|val_accuracy|test_accuracy|val_loss|mean|std)"' "$1"
}

case "$what" in
  out)
    "$bin" "${common[@]}" --runs 2 --out "$work/results.json"
    grep -q '"test_accuracy"' "$work/results.json"
    grep -q '"runs"' "$work/results.json"
    [ "$(grep -c '"seed"' "$work/results.json")" -eq 3 ]  # options + 2 runs
    grep -q '"commit"' "$work/results.json"  # version, commit and time of the run
    grep -q '"written": "20[0-9][0-9]-' "$work/results.json"
    ls "$work" | grep -q tmp && { echo "temporary file left behind"; exit 1; }
    echo "out: ok"
    ;;
  resume)
    "$bin" "${common[@]}" --norm batch --out "$work/straight.json"
    "$bin" "${common[@]}" --norm batch --epochs 3 --save "$work/ckpt.safetensors"
    # The checkpoint records --epochs 3: continuing to 6 needs --override, and is refused without.
    if "$bin" "${common[@]}" --norm batch --save "$work/ckpt.safetensors" --resume \
      2> "$work/refused.txt"; then
      echo "resume with other --epochs was not refused"; exit 1
    fi
    grep -q "epochs 3 -> 6" "$work/refused.txt"
    "$bin" "${common[@]}" --norm batch --save "$work/ckpt.safetensors" --resume --override \
      --out "$work/resumed.json"
    diff <(numbers "$work/straight.json") <(numbers "$work/resumed.json")
    [ "$(grep -c . <(numbers "$work/straight.json"))" -gt 5 ]
    echo "resume: ok"
    ;;
  cora)
    data=${MOEGNN_DATA_DIR:-$(dirname "$0")/../../../shared/datasets}
    if [ ! -d "$data/cora" ]; then
      if [ "${CI:-}" = "true" ]; then echo "dataset cora missing under CI ($data)"; exit 1; fi
      echo "dataset cora not found under $data; set MOEGNN_DATA_DIR"; exit 77
    fi
    "$bin" --dataset cora --data-dir "$data" --normalize-features --model gcn --hidden 16 \
      --epochs 30 --threads 2 --quiet | tee "$work/out.txt"
    grep -q "test accuracy" "$work/out.txt"
    grep -q "2708 nodes" "$work/out.txt"
    ;;
  *)
    echo "unknown test '$what'"; exit 2 ;;
esac
