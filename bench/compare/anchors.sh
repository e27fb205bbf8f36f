#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# moegnn against the strongest anchors a PyG or DGL user has on this CPU, in one run, interleaved
# (moegnn, PyG, DGL, moegnn, ...) --repeats times, with `uptime`'s load recorded beside each round:
#   gcn       full-batch 3-layer GCN epoch on the arxiv-scale graph (gcn_pyg.py: edge_index and
#             torch.sparse CSR; gcn_dgl.py: GraphConv);
#   cora-gcn, cora-gat  the PyG examples' models on Cora (cora_pyg.py, cora_dgl.py);
#   spmm      A·X at F = 128 and 256 (moegnn_layers_bench BM_SpmmSum; spmm_anchors.py:
#             torch.sparse.mm, torch_sparse.matmul when torch-sparse imports, dgl copy_u_sum);
#   sampling  one 15-10-5 mini-batch of 1024 seeds (moegnn_graph_bench BM_SampleBlocks; PyG's
#             NeighborLoader when torch-sparse imports; DGL's NeighborSampler.sample_blocks).
# PyG runs in .venv-bench (torch 2.15, PyG 2.8; torch-sparse/torch-scatter only if built there
# from their PyPI source packages); DGL 2.1.0 in .venv-dgl (torch 2.2.1), made here when missing.
#
#   bench/compare/anchors.sh [--threads N] [--repeats R] [--build-dir DIR] [--out FILE] [--only LIST]
#
# The Google Benchmark sides use every core (the benchmarks' default; 2 here), so keep --threads at
# the core count for like-for-like rows. --only takes a comma list of the tasks above (default all). Builds nothing: DIR (default build,
# else build-dev) must hold bench/moegnn_models_bench, moegnn_layers_bench and moegnn_graph_bench.
# Every record goes to --out (JSON lines, default DIR/anchors.jsonl); anchors_report.py prints the
# medians and the ratios.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads=2
repeats=3
build_dir=""
out=""
only="gcn,cora-gcn,cora-gat,spmm,sampling"
data="${MOEGNN_DATA_DIR:-$root/../shared/datasets}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) sed -n '3,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --threads) threads="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 1 ;;
  esac
done
if [[ -z "$build_dir" ]]; then
  build_dir="$root/build"
  [[ -x "$build_dir/bench/moegnn_models_bench" ]] || build_dir="$root/build-dev"
fi
for b in moegnn_models_bench moegnn_layers_bench moegnn_graph_bench; do
  [[ -x "$build_dir/bench/$b" ]] || { echo "error: $build_dir/bench/$b not found; build it first" >&2; exit 1; }
done
out="${out:-$build_dir/anchors.jsonl}"
: > "$out"

# shellcheck source=bench/compare/common.sh
source "$root/bench/compare/common.sh"
compare_setup_venv "$root"
compare_setup_dgl_venv "$root"
py="$venv/bin/python"
dpy="$dgl_venv/bin/python"
has_torch_sparse=0
"$py" -c "import torch_sparse" 2>/dev/null && has_torch_sparse=1

graph="$build_dir/arxiv_scale_gcn.bin"
[[ -s "$graph" ]] || "$build_dir/bench/moegnn_models_bench" --write-graph "$graph" --seed 1 \
  --features 128 --classes 40 >&2
cd "$root/bench/compare"
want() { [[ ",$only," == *",$1,"* ]]; }
# record TASK ROUND JSON: one line of --out with the task, the round and the load added.
record() {
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  "$py" -c 'import json,sys; r=json.loads(sys.argv[3]); r.update(task=sys.argv[1], round=int(sys.argv[2]), load=float(sys.argv[4])); print(json.dumps(r))' \
    "$1" "$2" "$3" "$load" >> "$out"
}
# gbench BINARY FILTER: Google Benchmark's JSON of the first matching benchmark, as one line.
gbench() {
  "$build_dir/bench/$1" --benchmark_filter="$2" --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true --benchmark_format=json 2>/dev/null |
    "$py" -c 'import json,sys; b=[x for x in json.load(sys.stdin)["benchmarks"] if x.get("aggregate_name")=="median"][0]; print(json.dumps(b))'
}

cora="$data/cora"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/Cora/raw"
cp "$cora"/ind.cora.* "$tmp/Cora/raw/"

for round in $(seq 1 "$repeats"); do
  echo "round $round of $repeats (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  if want gcn; then
    common=(--graph "$graph" --epochs 5 --warmup 2 --threads "$threads")
    record gcn "$round" "$("$build_dir/bench/moegnn_models_bench" "${common[@]}" --model gcn)"
    record gcn "$round" "$("$py" gcn_pyg.py "${common[@]}" --format csr)"
    record gcn "$round" "$("$py" gcn_pyg.py "${common[@]}" --format edge_index)"
    record gcn "$round" "$("$dpy" gcn_dgl.py "${common[@]}")"
  fi
  for model in gcn gat; do
    want "cora-$model" || continue
    common=(--epochs 100 --warmup 10 --threads "$threads")
    record "cora-$model" "$round" "$("$build_dir/bench/moegnn_models_bench" --planetoid "$cora" --model "$model" "${common[@]}")"
    record "cora-$model" "$round" "$("$py" cora_pyg.py --root "$tmp" --model "$model" "${common[@]}")"
    record "cora-$model" "$round" "$("$dpy" cora_dgl.py --data "$cora" --model "$model" "${common[@]}")"
  done
  if want spmm; then
    for f in 128 256; do
      record "spmm-$f" "$round" "$(gbench moegnn_layers_bench "BM_SpmmSum/F:$f/")"
    done
    while read -r line; do record "spmm-$(echo "$line" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["F"])')" "$round" "$line"; done \
      < <("$py" spmm_anchors.py --graph "$graph" --backend torch-csr --widths 128,256 --threads "$threads"
          [[ $has_torch_sparse == 1 ]] && "$py" spmm_anchors.py --graph "$graph" --backend torch-sparse --widths 128,256 --threads "$threads"
          "$dpy" spmm_anchors.py --graph "$graph" --backend dgl --widths 128,256 --threads "$threads")
  fi
  if want sampling; then
    record sampling "$round" "$(gbench moegnn_graph_bench "BM_SampleBlocks/threads:0")"
    [[ $has_torch_sparse == 1 ]] && record sampling "$round" \
      "$("$py" sampling_anchors.py --graph "$graph" --backend pyg --train-nodes 169343 --threads "$threads")"
    record sampling "$round" \
      "$("$dpy" sampling_anchors.py --graph "$graph" --backend dgl --train-nodes 169343 --threads "$threads")"
  fi
done
[[ $has_torch_sparse == 1 ]] || echo "note: torch_sparse does not import in $venv: no PyG NeighborLoader / SparseTensor rows" >&2
"$py" "$root/bench/compare/anchors_report.py" "$out"
