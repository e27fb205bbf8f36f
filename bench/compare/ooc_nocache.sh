#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The I/O-bound regime of out-of-core training (issue 21; docs/benchmarks.md, "No hot-row cache"):
# a pool packed with no hot-row cache; packing batched vs naive; then the pack, the 4 KiB-per-row
# O_DIRECT baseline (pages) and mmap on the first --batches batches of each epoch.
set -euo pipefail
usage() {
  echo "usage: bench/compare/ooc_nocache.sh [--data DIR] [--work DIR] [--build DIR] [--batches N] [--epochs N]"
  echo "  defaults: --data /work/ooc-data/A --work <data>-bench-low --build build (else build-dev) --batches 30 --epochs 2"
}
data=/work/ooc-data/A work="" build="" batches=30 epochs=2
while (($#)); do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --batches) batches="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ -z "$build" ]]; then
  build="$root/build"; [[ -x "$build/apps/moegnn-train-ooc" ]] || build="$root/build-dev"
fi
bin="$build/apps/moegnn-train-ooc"
w="${work:-${data%/}-bench-low}"
mkdir -p "$w"
log() { echo "[$(date -u +%H:%M:%S)] load $(cut -d' ' -f1-3 /proc/loadavg): $*"; }
common=(--data "$data" --fanouts 10,5 --batch-size 1024 --max-batches 200 --memory-mb 512 --cache-fraction 0)
log prepare batched; "$bin" --threads 2 --out "$w/prepare-batched-0.json" prepare "${common[@]}" --pack "$w/pack-0"
log prepare naive; "$bin" --threads 2 --out "$w/prepare-naive-0.json" prepare "${common[@]}" --pack "$w/pack-naive" --naive
for mode in pack pages mmap; do
  extra=(); [[ $mode == mmap ]] && extra=(--drop-page-cache)
  log train "$mode"
  "$bin" --threads 2 --out "$w/train-$mode-0-b$batches-r1.json" train --data "$data" --pack "$w/pack-0" \
    --features "$mode" --epochs "$epochs" --batches-per-epoch "$batches" --eval-nodes 200 --no-progress "${extra[@]}"
done
log done
