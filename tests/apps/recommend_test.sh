#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Smoke tests of moegnn-recommend that need more than one command or a file check:
#   recommend_test.sh <binary> out        --out writes complete JSON (atomically), per-run numbers
#   recommend_test.sh <binary> resume     a run resumed from a 3-epoch checkpoint ends with the
#                                         same numbers as a straight 6-epoch run
#   recommend_test.sh <binary> model      --save, then evaluate (same test numbers), recommend
#                                         (K items; unknown user and bad K rejected) and export
#   recommend_test.sh <binary> model-sheaf4rec   the same for Sheaf4Rec (every layer's parameters
#                                         saved and restored: evaluate gives the same numbers)
#   recommend_test.sh <binary> badfile    a malformed ratings line names the file and the line
#   recommend_test.sh <binary> ml-100k    u1 split of ml-100k with titles (exit 77 when missing)
set -euo pipefail
bin=$1
what=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(--users 200 --items 120 --ratings 6000 --dim 16 --layers 2 --lr 0.01 --threads 2 --quiet)
if [ "$what" = model-sheaf4rec ]; then
  common+=(--model sheaf4rec --readout concat)
  what=model
fi

numbers() {  # the per-run metrics of a results file, one per line
  grep -E '"(best_epoch|ndcg@10|recall@20|f1@10|mean|std)"' "$1"
}

case "$what" in
  out)
    "$bin" "${common[@]}" --epochs 6 --runs 2 --out "$work/results.json"
    grep -q '"ndcg@10"' "$work/results.json"
    [ "$(grep -c '"seed"' "$work/results.json")" -eq 3 ]  # options + 2 runs
    grep -q '"commit"' "$work/results.json"
    # BPR's L2 is the only regulariser: no Adam weight decay from TrainOptions' default.
    grep -qE '"weight_decay": *0(\.0)?(,|$| *\})' "$work/results.json"
    ls "$work" | grep -q tmp && { echo "temporary file left behind"; exit 1; }
    echo "out: ok"
    ;;
  resume)
    "$bin" "${common[@]}" --epochs 6 --out "$work/straight.json"
    "$bin" "${common[@]}" --epochs 3 --checkpoint "$work/ckpt.safetensors"
    "$bin" "${common[@]}" --epochs 6 --checkpoint "$work/ckpt.safetensors" --resume --override \
      --out "$work/resumed.json"
    diff <(numbers "$work/straight.json") <(numbers "$work/resumed.json")
    [ "$(grep -c . <(numbers "$work/straight.json"))" -gt 5 ]
    echo "resume: ok"
    ;;
  model)
    "$bin" "${common[@]}" --epochs 6 --save "$work/m.safetensors" --out "$work/train.json"
    "$bin" evaluate --model-file "$work/m.safetensors" --out "$work/eval.json" --quiet
    diff <(grep -A40 '"test"' "$work/train.json" | grep -E '"ndcg@10"' | head -1) \
         <(grep -A40 '"test"' "$work/eval.json" | grep -E '"ndcg@10"' | head -1)
    "$bin" recommend --model-file "$work/m.safetensors" --user 3 --k 5 | tee "$work/rec.txt"
    [ "$(grep -c '^  [0-9]\. item' "$work/rec.txt")" -eq 5 ]
    if "$bin" recommend --model-file "$work/m.safetensors" --user 99999 2> "$work/e1.txt"; then
      echo "unknown user accepted"; exit 1
    fi
    grep -q "user 99999 is not in the training data" "$work/e1.txt"
    if "$bin" recommend --model-file "$work/m.safetensors" --user 3 --k 100000 2> "$work/e2.txt"; then
      echo "K beyond the items accepted"; exit 1
    fi
    grep -q -- "--k 100000 vs \[1, " "$work/e2.txt"
    if "$bin" recommend --model-file "$work/m.safetensors" --user 3 --k 0 2> "$work/e3.txt"; then
      echo "K 0 accepted"; exit 1
    fi
    grep -q -- "--k 0 vs \[1, " "$work/e3.txt"
    "$bin" export --model-file "$work/m.safetensors" --export "$work/emb.safetensors"
    grep -q "user_embedding" "$work/emb.safetensors"
    echo "model: ok"
    ;;
  badfile)
    printf 'user,item,rating\n1,2,5\n1,two,4\n' > "$work/bad.csv"
    if "$bin" --dataset "$work/bad.csv" --epochs 1 2> "$work/err.txt"; then
      echo "malformed file accepted"; exit 1
    fi
    cat "$work/err.txt"
    grep -q "bad.csv: line 3" "$work/err.txt"
    ;;
  ml-100k)
    data=${MOEGNN_DATA_DIR:-$(dirname "$0")/../../../shared/datasets}
    if [ ! -d "$data/ml-100k" ]; then
      if [ "${CI:-}" = "true" ]; then echo "dataset ml-100k missing under CI ($data)"; exit 1; fi
      echo "dataset ml-100k not found under $data; set MOEGNN_DATA_DIR"; exit 77
    fi
    "$bin" --dataset ml-100k --data-dir "$data" --split u1 --model bpr-mf --epochs 2 --dim 16 \
      --threads 2 --quiet --save "$work/m.safetensors" | tee "$work/out.txt"
    grep -q "ml-100k: 943 users" "$work/out.txt"
    "$bin" recommend --model-file "$work/m.safetensors" --user 1 --k 3 | tee "$work/rec.txt"
    grep -q "([0-9][0-9][0-9][0-9])" "$work/rec.txt"  # a title with its year
    ;;
  *)
    echo "unknown test '$what'"; exit 2 ;;
esac
