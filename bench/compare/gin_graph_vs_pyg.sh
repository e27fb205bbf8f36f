#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side GIN graph-classification training epochs: moegnn vs PyTorch Geometric on the same TU
# dataset (PROTEINS by default), the same model (PyG examples/gin.py: 5 × GINConv, hidden 32, sum
# readout, head MLP with dropout 0.5, Adam lr 0.01), batch size 128, thread count and epochs, in one
# run. Each side runs twice: with glibc malloc's defaults, and with its mmap/trim thresholds raised
# (MALLOC_MMAP_THRESHOLD_ etc.), which stops freed tensor buffers going back to the kernel and
# being page-faulted in again every step (the same setting for both frameworks).
#
#   bench/compare/gin_graph_vs_pyg.sh [--threads N] [--epochs N] [--warmup N] [--build-dir DIR]
#                                     [--dataset-dir DIR] [--venv DIR] [--out PREFIX]
#
# --venv: a Python environment with torch and torch_geometric (default: .venv-bench, created and
# filled as the other compare scripts do).
#
# Builds nothing: DIR (default build-dev) must hold bench/moegnn_gin_graph_bench. Peak RSS of both
# processes is in their JSON lines (peak_rss_mb).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads=1
epochs=5
warmup=1
# shellcheck source=bench/compare/common.sh
source "$root/bench/compare/common.sh"
build_dir="$(compare_default_build_dir "$root")"
dataset_dir="${MOEGNN_DATA_DIR:-$root/../shared/datasets}/tu/PROTEINS"
out=""
venv=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) compare_help "$0" ;;
    --threads) threads="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --dataset-dir) dataset_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --venv) venv="$2"; shift 2 ;;
    *) echo "error: unknown argument $1 (see the header of $0)" >&2; exit 1 ;;
  esac
done
out="${out:-$build_dir/gin_graph_vs_pyg}"

# shellcheck source=bench/compare/common.sh
source "$root/bench/compare/common.sh"
[[ -n "$venv" ]] || compare_setup_venv "$root"
bench="$build_dir/bench/moegnn_gin_graph_bench"
if [[ ! -x "$bench" ]]; then
  echo "error: $bench not found; build it: ninja -C $build_dir moegnn_gin_graph_bench" >&2
  exit 1
fi

common=(--dataset-dir "$dataset_dir" --epochs "$epochs" --warmup "$warmup" --threads "$threads")
tuned=(env MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=1073741824
       MALLOC_TOP_PAD_=268435456)
for setting in default tuned; do
  run=()
  [[ "$setting" == tuned ]] && run=("${tuned[@]}")
  echo "timing PyG ($setting malloc) ..." >&2
  pyg="$(cd "$root/bench/compare" && "${run[@]}" "$venv/bin/python" gin_graph_pyg.py "${common[@]}" 2>/dev/null)"
  echo "timing moegnn ($setting malloc) ..." >&2
  moegnn="$("${run[@]}" "$bench" "${common[@]}")"
  echo "$pyg"
  echo "$moegnn"
  "$venv/bin/python" "$root/bench/compare/report.py" --out "$out.$setting.json" --cpu "$(compare_cpu)" \
    --title "GIN graph-classification epoch, PROTEINS, $setting malloc" "$pyg" "$moegnn"
done
