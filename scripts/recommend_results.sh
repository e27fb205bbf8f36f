#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Recommendation section of docs/results.md: BPR-MF and LightGCN on ML-100K and Facebook Books
# (Sheaf4Rec protocol: random 80/10/10, ratings >= 3 on ML-100K, 5 seeds, lr chosen on validation
# NDCG@10 with seed 1), and on ML-100K under the recommenders protocol (75/25 stratified per user,
# all ratings, top-10, training items removed, fixed epochs).
# Sheaf4Rec itself (part sheaf4rec-model): the same protocol with a grid over lr and read-out on
# validation NDCG@10 of seed 1 (Facebook Books: lr {0.001, 0.005, 0.01} x {concat, mean}; ML-100K:
# 0.005 concat, and 0.001 concat at most 30 epochs; ML_GRID="lr readout [epochs]|..." for more),
# ML-100K capped at 40 epochs (its
# full-graph sheaf steps cost ~10-40x LightGCN's on the shared machine).
# Usage: scripts/recommend_results.sh <moegnn-recommend> <out-dir>
#          [sheaf4rec|sheaf4rec-model|recommenders|recommenders-seeds|bpr-search|all]
# THREADS (default 2) sets --threads of the new parts.
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

# Grid (seed 1, validation NDCG@10) then 5 seeds: "lr readout [max epochs]" per grid entry.
sheaf4rec_model() {
  for dataset in ${SHEAF4REC_DATASETS:-facebook-books ml-100k}; do
    if [ "$dataset" = ml-100k ]; then
      epochs=40; grid=${ML_GRID:-"0.005 concat|0.001 concat 30"}  # what fitted in the session
    else
      epochs=100; grid=${FB_GRID:-"0.001 concat|0.005 concat|0.01 concat|0.001 mean|0.005 mean|0.01 mean"}
    fi
    s4r=(--model sheaf4rec --eval-every 5 --patience 3 --dim 64 --layers 3
         --batch-size 1024 --l2 1e-4 --ks 10 20 --threads ${THREADS:-2} --quiet)
    best=-1; best_set=""
    IFS='|' read -ra sets <<< "$grid"
    for set in "${sets[@]}"; do
      read -r lr readout cap <<< "$set"
      f="$out/grid-$dataset-sheaf4rec-lr$lr-$readout.json"
      [ -s "$f" ] || /usr/bin/time -f "$dataset sheaf4rec lr $lr $readout grid: %e s" "$bin" \
        --dataset "$dataset" --lr "$lr" --readout "$readout" "${s4r[@]}" --epochs "${cap:-$epochs}" \
        --runs 1 --seed 1 --out "$f"
      v=$(val_ndcg "$f")
      if python3 -c "import sys; sys.exit(0 if float('$v') > float('$best') else 1)"; then
        best=$v; best_set=$set
      fi
    done
    read -r lr readout cap <<< "$best_set"
    echo "$dataset sheaf4rec: lr $lr, $readout chosen (val ndcg@10 $best)"
    /usr/bin/time -f "$dataset sheaf4rec lr $lr $readout 5 seeds: %e s" "$bin" --dataset "$dataset" \
      --lr "$lr" --readout "$readout" "${s4r[@]}" --epochs "${cap:-$epochs}" --runs 5 --seed 1 \
      --out "$out/$dataset-sheaf4rec.json" | tee "$out/$dataset-sheaf4rec.txt"
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

# recommenders protocol over seeds 1..5 (split and initialisation from the seed), fixed settings.
recommenders_seeds() {
  for model in ${RECOMMENDERS_MODELS:-lightgcn bpr-mf}; do
    lr=0.005; [ "$model" = bpr-mf ] && lr=0.001
    /usr/bin/time -f "recommenders $model 5 seeds: %e s" "$bin" --dataset ml-100k --split stratified \
      --train-fraction 0.75 --min-rating 0 --model "$model" --epochs 50 --lr "$lr" --dim 64 \
      --layers 3 --batch-size 1024 --l2 1e-4 --ks 10 --threads ${THREADS:-2} --quiet --runs 5 \
      --seed 1 --out "$out/recommenders-$model-5seeds.json" | tee "$out/recommenders-$model-5seeds.txt"
  done
}

# BPR-MF under the recommenders protocol: dim, lr, l2 and epochs chosen on a validation set carved
# from each user's training share (--train-val-fraction 0.2, split seed 1; the test set is the
# two-way split's and is not looked at), then 5 seeds on the full 75 % with the chosen settings.
bpr_search() {
  proto=(--dataset ml-100k --split stratified --train-fraction 0.75 --min-rating 0 --model bpr-mf
         --batch-size 1024 --ks 10 --threads ${THREADS:-2} --quiet)
  best=-1; best_set=""
  for dim in ${BPR_DIMS:-64 200}; do
    for lr in ${BPR_LRS:-0.0005 0.001 0.002}; do
      for l2 in ${BPR_L2S:-1e-4 1e-3}; do
        f="$out/bpr-search-d$dim-lr$lr-l2$l2.json"
        [ -s "$f" ] || /usr/bin/time -f "bpr search dim $dim lr $lr l2 $l2: %e s" "$bin" "${proto[@]}" \
          --train-val-fraction 0.2 --dim "$dim" --lr "$lr" --l2 "$l2" --epochs 200 --eval-every 5 \
          --patience 4 --seed 1 --out "$f" > /dev/null
        v=$(val_ndcg "$f")
        e=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['runs'][0]['best_epoch'])" "$f")
        echo "dim $dim lr $lr l2 $l2: val ndcg@10 $v at epoch $e"
        if python3 -c "import sys; sys.exit(0 if float('$v') > float('$best') else 1)"; then
          best=$v; best_set="$dim $lr $l2 $e"
        fi
      done
    done
  done
  read -r dim lr l2 epochs <<< "$best_set"
  echo "bpr-mf recommenders: dim $dim, lr $lr, l2 $l2, $epochs epochs chosen (val ndcg@10 $best)"
  /usr/bin/time -f "recommenders bpr-mf chosen, 5 seeds: %e s" "$bin" "${proto[@]}" --dim "$dim" \
    --lr "$lr" --l2 "$l2" --epochs "$epochs" --eval-every "$epochs" --runs 5 --seed 1 \
    --out "$out/recommenders-bpr-mf-chosen.json" | tee "$out/recommenders-bpr-mf-chosen.txt"
}

case "$what" in
  sheaf4rec) sheaf4rec ;;
  sheaf4rec-model) sheaf4rec_model ;;
  recommenders-seeds) recommenders_seeds ;;
  bpr-search) bpr_search ;;
  recommenders) recommenders ;;
  all) sheaf4rec; recommenders ;;
  *) echo "unknown part '$what'"; exit 2 ;;
esac
