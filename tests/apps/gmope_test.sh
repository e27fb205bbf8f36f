#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# moegnn-gmope end to end on generated graphs (seconds): pretrain writes a checkpoint; finetune
# reuses it on two targets (node 5-shot and link) with every arm and --out JSON; a repeated run
# gives the same numbers; evaluate reads the checkpoint; wrong tasks and arms are refused with a
# readable error.
#   gmope_test.sh <binary>
set -euo pipefail
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
model=(--experts 3 --hidden 16 --d0 8 --prompt-dim 4 --threads 2 --quiet)

"$bin" pretrain "${model[@]}" --sources generated-a,generated-b --pretrain-epochs 5 \
  --contrast-nodes 64 --save "$work/p.safetensors" > "$work/pretrain.txt"
grep -q "pretraining    2 sources" "$work/pretrain.txt"
[ -s "$work/p.safetensors" ]

for task in node link; do
  shots=(); [ "$task" = node ] && shots=(--shots 5)
  for rep in 1 2; do
    "$bin" finetune --checkpoint "$work/p.safetensors" --target generated-c --task "$task" \
      "${shots[@]}" --epochs 8 --patience 0 --runs 2 --threads 2 --quiet --out "$work/$task$rep.json" \
      > "$work/$task$rep.txt"
  done
  for arm in scratch full gpf gpf-plus prompt-only prompt-router gmope-full; do
    grep -q "\"arm\": \"$arm\"" "$work/${task}1.json" || { echo "no arm $arm ($task)"; exit 1; }
  done
  # Deterministic: the same val / test numbers (timings differ).
  diff <(grep -E '"(val|test|mean|std)"' "$work/${task}1.json") \
       <(grep -E '"(val|test|mean|std)"' "$work/${task}2.json")
  ls "$work" | grep -q tmp && { echo "temporary file left behind"; exit 1; }
done
grep -q '"metric": "auc"' "$work/link1.json"
grep -q '"metric": "acc"' "$work/node1.json"
# Prompt-only trains M·d_p + head = 3·4 + (16·3 + 3) parameters on the 3-class target.
sed -n '/"arm": "prompt-only"/,/"trainable_parameters"/p' "$work/node1.json" | tail -1 \
  | grep -q '"trainable_parameters": 63'

# A fine-tuning grid: every (lr, weight decay) point is run per arm, and the arm keeps the point
# with the best mean validation metric, with the same numbers as a run at that point alone.
"$bin" finetune --checkpoint "$work/p.safetensors" --target generated-c --task node --shots 5 \
  --arms prompt-only,full --lr 0.05,0.002 --weight-decay 0,5e-4 --epochs 8 --patience 0 --runs 2 \
  --threads 2 --quiet --out "$work/grid.json" > /dev/null
python3 - "$work/grid.json" > "$work/chosen.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for a in r["arms"]:
    assert len(a["grid"]) == 4, a["grid"]
    best = max(a["grid"], key=lambda p: p["val"])
    assert abs(a["val"]["mean"] - best["val"]) < 1e-12, (a["val"], best)
    assert (a["lr"], a["weight_decay"]) == (best["lr"], best["weight_decay"]), a
    print(a["arm"], repr(a["lr"]), repr(a["weight_decay"]), a["val"]["mean"], a["test"]["mean"])
PY
while read -r arm lr wd val test; do
  "$bin" finetune --checkpoint "$work/p.safetensors" --target generated-c --task node --shots 5 \
    --arms "$arm" --lr "$lr" --weight-decay "$wd" --epochs 8 --patience 0 --runs 2 --threads 2 \
    --quiet --out "$work/one.json" > /dev/null
  python3 -c "import json,sys; a=json.load(open('$work/one.json'))['arms'][0]; sys.exit(0 if (a['val']['mean'], a['test']['mean']) == ($val, $test) else 1)" \
    || { echo "grid point of $arm differs from a run at lr $lr wd $wd alone"; exit 1; }
done < "$work/chosen.txt"
if "$bin" finetune --checkpoint "$work/p.safetensors" --lr 0.01,-1 --epochs 1 --quiet 2> "$work/err.txt"; then
  echo "negative lr accepted"; exit 1
fi
grep -q -- "--lr" "$work/err.txt"

"$bin" evaluate --checkpoint "$work/p.safetensors" --target generated-c --threads 2 --quiet \
  | grep -E "usage entropy [0-9.]+, zero-shot link AUC 0\.[0-9]+"

if "$bin" finetune --checkpoint "$work/p.safetensors" --task graph --epochs 1 --quiet 2> "$work/err.txt"; then
  echo "graph task on a node dataset accepted"; exit 1
fi
grep -q "error: --task graph: 'generated' is one graph" "$work/err.txt"
if "$bin" finetune --checkpoint "$work/p.safetensors" --arms lora --epochs 1 --quiet 2> "$work/err.txt"; then
  echo "unknown arm accepted"; exit 1
fi
grep -q "error: --arms: 'lora' vs all" "$work/err.txt"
echo "gmope: ok"
