#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side neighbour-sampled GraphSAGE training epochs on the arxiv-scale generated graph:
# moegnn vs PyTorch Geometric, fanouts 15,10,5 (PyG's num_neighbors order: 15 per seed), batches of
# 1024 seeds, hidden 256, the same thread count, seeds and epochs, in one run.
#
#   bench/compare/sage_vs_pyg.sh [--threads N] [--epochs N] [--warmup N] [--train-nodes N]
#                                [--fanouts LIST] [--batch-size N] [--build-dir DIR] [--out FILE]
#
# Builds nothing: the build dir (default build/, scripts/test.sh's, else build-dev/) must hold bench/moegnn_models_bench.
# Both sides read one graph file, DIR/arxiv_scale_gcn.bin (graph::arxiv_scale_graph(1), 128 random
# features, 40 random labels; written once by the bench program, shared with gcn_vs_pyg.sh). The
# seeds are nodes 0 .. N-1 (default 10240: 10 batches; 0 = all 169,343 nodes), a random subset
# since the generator's ids are permuted. See bench/compare/sage_pyg.py for the PyG sampler used
# when neither pyg-lib nor torch-sparse is installed. JSON goes to --out (default
# DIR/sage_vs_pyg.json).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads="$(nproc)"
epochs=2
warmup=1
train_nodes=10240
fanouts="15,10,5"
batch_size=1024
# shellcheck source=bench/compare/common.sh
source "$root/bench/compare/common.sh"
build_dir="$(compare_default_build_dir "$root")"
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) compare_help "$0" ;;
    --threads) threads="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --train-nodes) train_nodes="$2"; shift 2 ;;
    --fanouts) fanouts="$2"; shift 2 ;;
    --batch-size) batch_size="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "error: unknown argument $1 (see the header of $0)" >&2; exit 1 ;;
  esac
done
out="${out:-$build_dir/sage_vs_pyg.json}"

# shellcheck source=bench/compare/common.sh
source "$root/bench/compare/common.sh"
compare_setup_venv "$root"
compare_find_bench "$root" "$build_dir"

graph="$build_dir/arxiv_scale_gcn.bin"
if [[ ! -s "$graph" ]]; then
  "$bench" --write-graph "$graph" --seed 1 --features 128 --classes 40
fi

common=(--graph "$graph" --epochs "$epochs" --warmup "$warmup" --threads "$threads"
        --train-nodes "$train_nodes" --fanouts "$fanouts" --batch-size "$batch_size")
echo "timing PyG ..." >&2
pyg="$("$venv/bin/python" "$root/bench/compare/sage_pyg.py" "${common[@]}")"
echo "timing moegnn ..." >&2
moegnn="$("$bench" --model sage "${common[@]}")"

"$venv/bin/python" "$root/bench/compare/report.py" --out "$out" --cpu "$(compare_cpu)" \
  --title "Neighbour-sampled GraphSAGE epoch (fanouts $fanouts, batch $batch_size, $train_nodes seeds), arxiv-scale graph" \
  "$pyg" "$moegnn"
