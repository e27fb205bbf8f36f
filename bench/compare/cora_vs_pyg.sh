#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side full-batch GCN and GAT training epochs on Cora: moegnn vs PyTorch Geometric, the
# models of PyG's examples/gcn.py and examples/gat.py, the same thread count and epochs, in one run.
#
#   bench/compare/cora_vs_pyg.sh [--data DIR] [--threads N] [--epochs N] [--warmup N]
#                                [--build-dir DIR] [--out FILE]
#
# Builds nothing: the build dir (default build/, scripts/test.sh's, else build-dev/) must hold bench/moegnn_models_bench.
# Both sides read the same original Planetoid files: moegnn's loader reads DIR (default
# ../shared/datasets/cora, or $MOEGNN_DATA_DIR/cora), PyG's Planetoid reads a copy of those files
# placed in a temporary directory (removed on exit; nothing is copied into the repository and
# nothing is downloaded). Prints a table; JSON goes to --out (default <build dir>/cora_vs_pyg.json).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${MOEGNN_DATA_DIR:-$root/../shared/datasets}/cora"
threads="$(nproc)"
epochs=200
warmup=10
# shellcheck source=bench/compare/common.sh
source "$root/bench/compare/common.sh"
build_dir="$(compare_default_build_dir "$root")"
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) compare_help "$0" ;;
    --data) data="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "error: unknown argument $1 (see the header of $0)" >&2; exit 1 ;;
  esac
done
out="${out:-$build_dir/cora_vs_pyg.json}"

# shellcheck source=bench/compare/common.sh
source "$root/bench/compare/common.sh"
compare_setup_venv "$root"
compare_find_bench "$root" "$build_dir"

raw_files=(x y tx ty allx ally graph test.index)
for f in "${raw_files[@]}"; do
  if [[ ! -s "$data/ind.cora.$f" ]]; then
    echo "error: $data/ind.cora.$f not found; pass --data DIR holding the original ind.cora.* files" >&2
    exit 1
  fi
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/Cora/raw"
for f in "${raw_files[@]}"; do cp "$data/ind.cora.$f" "$tmp/Cora/raw/"; done

common=(--epochs "$epochs" --warmup "$warmup" --threads "$threads")
runs=()
for model in gcn gat; do
  echo "timing PyG $model ..." >&2
  runs+=("$("$venv/bin/python" "$root/bench/compare/cora_pyg.py" --root "$tmp" --model "$model" \
    "${common[@]}")")
  echo "timing moegnn $model ..." >&2
  runs+=("$("$bench" --planetoid "$data" --model "$model" "${common[@]}")")
done

"$venv/bin/python" "$root/bench/compare/report.py" --out "$out" --cpu "$(compare_cpu)" \
  --title "Full-batch training epoch on Cora" "${runs[@]}"
