#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fine-tuning time per epoch of every GMoPE transfer arm, interleaved in one process (the arm list
# repeated --repeats times, fixed epochs, no early stopping), median per arm, with the load average.
#   bench/gmope/epoch_time.sh [--help] [--build DIR] [--checkpoint GM] [--backbone BB]
#                             [--target cora] [--shots 5] [--epochs 30] [--repeats 3] [--threads 1]
# Without checkpoints it pretrains small ones on generated graphs first (timings then refer to them).
set -euo pipefail
build=build; [ -d "$build/apps" ] || build=build-dev
gm=""; bb=""; target=cora; shots=5; epochs=30; repeats=3; threads=1
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h) sed -n '3,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --build) build=$2; shift 2 ;;
    --checkpoint) gm=$2; shift 2 ;;
    --backbone) bb=$2; shift 2 ;;
    --target) target=$2; shift 2 ;;
    --shots) shots=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
export MOEGNN_DATA_DIR=${MOEGNN_DATA_DIR:-/work/shared/datasets}
bin=$build/apps/moegnn-gmope
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$gm" ]; then
  "$bin" pretrain --quiet --pretrain-epochs 5 --save "$work/gm.safetensors" > /dev/null
  "$bin" pretrain --quiet --pretrain-epochs 5 --experts 1 --prompt-dim 0 --save "$work/bb.safetensors" > /dev/null
  gm=$work/gm.safetensors; bb=$work/bb.safetensors
fi
[ -n "$bb" ] || bb=$gm
arms=""
for _ in $(seq "$repeats"); do arms="$arms,scratch,full,gpf,gpf-plus,prompt-only,prompt-router,gmope-full"; done
echo "load before: $(uptime)"
"$bin" finetune --quiet --threads "$threads" --checkpoint "$gm" --backbone "$bb" --target "$target" \
  --shots "$shots" --epochs "$epochs" --patience 0 --runs 1 --arms "${arms#,}" --out "$work/t.json" > /dev/null
echo "load after:  $(uptime)"
python3 - "$work/t.json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))
times = {}
for a in r["arms"]:
    times.setdefault(a["arm"], []).append(a["runs"][0]["epoch_seconds"])
ref = statistics.median(times["gmope-full"])
print(f"{'arm':14s} {'median s/epoch':>15s} {'vs gmope-full':>14s}  all")
for arm, t in times.items():
    m = statistics.median(t)
    print(f"{arm:14s} {m:15.4f} {m / ref:13.2f}x  " + " ".join(f"{x:.4f}" for x in t))
PY
