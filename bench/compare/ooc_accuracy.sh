#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Accuracy of training on one offline-sampled pool reused every epoch (DiskGNN) against online
# resampling every epoch, on a labelled generated graph: per seed, prepare a pack of every training
# seed, train --epochs on it, and train --online on the same seeds; prints test accuracy (the
# epoch selected on validation) of both. Target (issue 21): within 0.5 point.
set -euo pipefail
usage() {
  echo "usage: bench/compare/ooc_accuracy.sh [--data DIR] [--work DIR] [--build DIR] [--epochs N] [--seeds \"1 2 3\"] [--model sage|gcn]"
  echo "  --data: a moegnn-data generate directory (default /work/ooc-data/M: 200,000 nodes, 64 features, 8 classes, --seed 2)"
}
data=/work/ooc-data/M work="" build="" epochs=10 seeds="1 2 3" model=sage
while (($#)); do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --model) model="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ -z "$build" ]]; then
  build="$root/build"; [[ -x "$build/apps/moegnn-train-ooc" ]] || build="$root/build-dev"
fi
bin="$build/apps/moegnn-train-ooc"
work="${work:-${data%/}-acc}"
mkdir -p "$work"
for s in $seeds; do
  "$bin" --threads 2 prepare --data "$data" --model "$model" --pack "$work/pack-$s" --seed "$s" \
    --fanouts 10,5 --batch-size 1024 --cache-fraction 0.2 > /dev/null
  for mode in offline online; do
    extra=(); [[ $mode == online ]] && extra=(--online)
    "$bin" --threads 2 --out "$work/$mode-$s.json" train --data "$data" --model "$model" \
      --pack "$work/pack-$s" --seed "$s" --epochs "$epochs" --eval-nodes 0 --no-progress \
      "${extra[@]}" | head -1
  done
done
python3 - "$work" "$seeds" <<'PY'
import json, statistics, sys
work, seeds = sys.argv[1], sys.argv[2].split()
acc = {m: [json.load(open(f"{work}/{m}-{s}.json"))["test_acc"] for s in seeds] for m in ("offline", "online")}
for m, v in acc.items():
    print(f"{m:8} test acc mean {100 * statistics.mean(v):.2f} %  ({', '.join(f'{100 * x:.2f}' for x in v)})")
print(f"offline - online: {100 * (statistics.mean(acc['offline']) - statistics.mean(acc['online'])):+.2f} points")
PY
