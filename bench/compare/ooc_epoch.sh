#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Out-of-core training (issue 21) on a generated graph: packing time (batched vs naive), epoch
# time of the pipelined pack reader at several cache budgets against the in-memory epoch on the
# same batches, and the 4 KiB-per-row O_DIRECT ("pages") and mmap baselines at the smallest
# budget; bytes read (reader vs /proc/self/io), read amplification, hit rate, peak RSS. Runs are
# interleaved over --rounds; summarise with bench/compare/ooc_summary.py.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bench/compare/ooc_epoch.sh [--data DIR] [--work DIR] [--build DIR] [--batches N]
         [--baseline-batches N] [--epochs N] [--rounds N] [--caches "0.1 0.3 0.5"] [--threads N]
  --data      directory from `moegnn-data generate` (default /work/ooc-data/A; generate it with
              moegnn-data generate DIR --nodes 8000000 --features 128)
  --work      where packs and JSON results go (default <data>-bench)
  --build     build folder holding apps/moegnn-train-ooc (default build, else build-dev)
  --batches   pool size (default 200); --baseline-batches: batches per epoch of the slow
              pages / mmap baselines (default 50); --epochs per run (default 3)
USAGE
}

data=/work/ooc-data/A work="" build="" batches=200 base_batches=50 epochs=3 rounds=3
caches="0.1 0.3 0.5" threads=2
while (($#)); do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --batches) batches="$2"; shift 2 ;;
    --baseline-batches) base_batches="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --caches) caches="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ -z "$build" ]]; then
  build="$root/build"; [[ -x "$build/apps/moegnn-train-ooc" ]] || build="$root/build-dev"
fi
bin="$build/apps/moegnn-train-ooc"
[[ -x "$bin" ]] || { echo "no $bin; build the moegnn_train_ooc target" >&2; exit 1; }
work="${work:-${data%/}-bench}"
mkdir -p "$work"
log() { echo "[$(date -u +%H:%M:%S)] load $(cut -d' ' -f1-3 /proc/loadavg): $*" | tee -a "$work/runs.log"; }
common=(--data "$data" --fanouts 10,5 --batch-size 1024 --max-batches "$batches" --memory-mb 512)

# Packs, one per cache budget (batched), and the packing comparison at the smallest budget.
first="${caches%% *}"
for c in $caches; do
  log "prepare batched cache=$c"
  "$bin" --threads "$threads" --out "$work/prepare-batched-$c.json" prepare "${common[@]}" \
    --cache-fraction "$c" --pack "$work/pack-$c" | tee -a "$work/runs.log"
done
log "prepare naive cache=$first"
"$bin" --threads "$threads" --out "$work/prepare-naive-$first.json" prepare "${common[@]}" \
  --cache-fraction "$first" --naive --pack "$work/pack-naive" | tee -a "$work/runs.log"

train() {  # name, extra args...
  local name="$1"; shift
  log "train $name round $r"
  "$bin" --threads "$threads" --out "$work/train-$name-r$r.json" train --data "$data" \
    --epochs "$epochs" --eval-nodes 1000 --no-progress "$@" | tee -a "$work/runs.log"
}
for ((r = 1; r <= rounds; ++r)); do
  train memory --pack "$work/pack-$first" --features memory
  for c in $caches; do train "pack-$c" --pack "$work/pack-$c"; done
  train "pack-$first-b$base_batches" --pack "$work/pack-$first" --batches-per-epoch "$base_batches"
  train "pages-$first" --pack "$work/pack-$first" --features pages --batches-per-epoch "$base_batches"
  train "mmap-$first" --pack "$work/pack-$first" --features mmap --drop-page-cache \
    --batches-per-epoch "$base_batches"
done
log "done; summary: python3 bench/compare/ooc_summary.py $work"
