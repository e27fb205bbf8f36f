#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side full-batch GCN training: moegnn vs PyTorch Geometric on the same graph file, the
# same model (3 × GCNConv, hidden 256, 40 classes, BatchNorm, ReLU, dropout 0.5, Adam lr 0.01),
# the same thread count and epochs, in one run, so the ratio compares like with like.
#
#   bench/compare/gcn_vs_pyg.sh [--threads N] [--epochs N] [--warmup N] [--build-dir DIR]
#                               [--formats edge_index,csr] [--out FILE]
#
# Builds nothing: DIR (default build/, scripts/test.sh's, else build-dev/) must hold bench/moegnn_models_bench
# (scripts/test.sh builds it in build/; or cmake --build DIR --target moegnn_models_bench).
# 1. creates .venv-bench (git-ignored) and pip installs torch 2.x (CPU use; the PyPI wheel) and
#    torch-geometric 2.8 unless already there (bench/compare/common.sh);
# 2. writes graph::arxiv_scale_graph(1) with 128 random features and random labels to
#    DIR/arxiv_scale_gcn.bin (once);
# 3. times PyG (--formats: edge_index and/or torch.sparse CSR adjacency) and moegnn on it, and
#    prints a table with each process's peak RSS (also written as JSON to --out, default
#    DIR/gcn_vs_pyg.json). --warmup 0 times the cold first epoch too.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads="$(nproc)"
epochs=10
warmup=2
# shellcheck source=bench/compare/common.sh
source "$root/bench/compare/common.sh"
build_dir="$(compare_default_build_dir "$root")"
out=""
formats="edge_index,csr"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) compare_help "$0" ;;
    --threads) threads="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --formats) formats="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "error: unknown argument $1 (see the header of $0)" >&2; exit 1 ;;
  esac
done
out="${out:-$build_dir/gcn_vs_pyg.json}"

# shellcheck source=bench/compare/common.sh
source "$root/bench/compare/common.sh"
compare_setup_venv "$root"
compare_find_bench "$root" "$build_dir"

# The shared graph file.
graph="$build_dir/arxiv_scale_gcn.bin"
if [[ ! -s "$graph" ]]; then
  "$bench" --write-graph "$graph" --seed 1 --features 128 --classes 40
fi

# Both frameworks, same threads and epochs.
common=(--graph "$graph" --epochs "$epochs" --warmup "$warmup" --threads "$threads")
pyg_runs=()
for format in ${formats//,/ }; do
  echo "timing PyG ($format), load $(cut -d' ' -f1 /proc/loadavg) ..." >&2
  pyg_runs+=("$("$venv/bin/python" "$root/bench/compare/gcn_pyg.py" "${common[@]}" --format "$format")")
done
echo "timing moegnn, load $(cut -d' ' -f1 /proc/loadavg) ..." >&2
moegnn="$("$bench" "${common[@]}" --model gcn)"

"$venv/bin/python" "$root/bench/compare/report.py" --out "$out" --cpu "$(compare_cpu)" \
  --title "GCN full-batch training epoch, arxiv-scale graph" "${pyg_runs[@]}" "$moegnn"
