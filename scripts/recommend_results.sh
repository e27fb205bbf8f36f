#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Recommendation section of docs/results.md: BPR-MF and LightGCN on ML-100K and Facebook Books
# (Sheaf4Rec protocol: random 80/10/10, ratings >= 3 on ML-100K, 5 seeds, lr chosen on validation
# NDCG@10 with seed 1), and on ML-100K under the recommenders protocol (75/25 stratified per user,
# all ratings, top-10, training items removed, fixed epochs).
# Usage: scripts/recommend_results.sh <moegnn-recommend> <out-dir> [sheaf4rec|recommenders|all]
set -euo pipefail
bin=$1
out=$2
what=${3:-all}
mkdir -p "$out"
export MOEGNN_DATA_DIR=${MOEGNN_DATA_DIR:-/work/shared/datasets}
common=(--epochs 100 --eval-every 5 --patience 3 --dim 64 --layers 3 --batch-size 1024 --l2 1e-4
        --ks 10 20 --threads 2 --quiet)

val_ndcg() {  # validation NDCG@10 of a results file (the summary's mean)
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['val']['ndcg@10']['mean'])" "$1"
}

sheaf4rec() {
  for dataset in ml-100k facebook-books; do
    for model in bpr-mf lightgcn; do
      best_lr=""; best=-1
      for lr in 0.001 0.005; do
        f="$out/grid-$dataset-$model-lr$lr.json"
        /usr/bin/time -f "$dataset $model lr $lr grid: %e s" "$bin" --dataset "$dataset" \
          --model "$model" --lr "$lr" "${common[@]}" --runs 1 --seed 1 --out "$f"
        v=$(val_ndcg "$f")
        if python3 -c "import sys; sys.exit(0 if float('$v') > float('$best') else 1)"; then
          best=$v; best_lr=$lr
        fi
      done
      echo "$dataset $model: lr $best_lr chosen (val ndcg@10 $best)"
      /usr/bin/time -f "$dataset $model lr $best_lr 5 seeds: %e s" "$bin" --dataset "$dataset" \
        --model "$model" --lr "$best_lr" "${common[@]}" --runs 5 --seed 1 \
        --out "$out/$dataset-$model.json" | tee "$out/$dataset-$model.txt"
    done
  done
}

recommenders() {
  for model in ${RECOMMENDERS_MODELS:-lightgcn bpr-mf}; do
    /usr/bin/time -f "recommenders $model: %e s" "$bin" --dataset ml-100k --split stratified \
      --train-fraction 0.75 --min-rating 0 --model "$model" --epochs 50 --lr 0.005 --dim 64 \
      --layers 3 --batch-size 1024 --l2 1e-4 --ks 10 --threads 2 --quiet --seed 1 \
      --out "$out/recommenders-$model.json" | tee "$out/recommenders-$model.txt"
  done
}

case "$what" in
  sheaf4rec) sheaf4rec ;;
  recommenders) recommenders ;;
  all) sheaf4rec; recommenders ;;
  *) echo "unknown part '$what'"; exit 2 ;;
esac
