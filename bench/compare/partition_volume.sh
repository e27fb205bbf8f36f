#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Communication of a partition (issue 22): METIS against random parts for P = 2, 4, 8 on the
# arxiv-scale graph (graph::arxiv_scale_graph, 169,343 nodes, R-MAT; or --dataset ogbn-arxiv when
# the data directory holds it) and on the real citation graphs of the data directory (Cora,
# CiteSeer): edge cut, halo volume (sum over parts of their halo rows), the busiest part's halo, and
# the bytes one full-graph epoch of the 3-layer GCN (hidden 256) moves: for each layer the halo rows
# × the layer's input width × 4 bytes, forward (features) + backward (their gradients). Also CSBM
# graphs of ogbn-arxiv's size, class count and mean degree with the edge homophily of each
# --csbm value (ogbn-arxiv's own is 0.655): how the ratio follows the community structure.
#
# usage: bench/compare/partition_volume.sh [--build DIR] [--parts "2 4 8"] [--dataset NAME]
#          [--data-dir DIR] [--real "cora citeseer"] [--csbm "0.655 0.9"] [--hidden 256] [--out FILE]
#   --build     build folder holding bench/moegnn_partition_bench (default build, else build-dev)
#   --dataset   a registered node dataset for the "arxiv" row instead of the generated graph
#   --data-dir  default $MOEGNN_DATA_DIR, else /work/shared/datasets
#   --real      more registered datasets to measure ("" for none)
#   --csbm      edge homophilies of the arxiv-size CSBM graphs ("" for none)
#   --out       the raw JSON lines (default: a temporary file)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/bench/compare/common.sh"
build="" parts="2 4 8" dataset="" data_dir="${MOEGNN_DATA_DIR:-/work/shared/datasets}"
real="cora citeseer" csbm="0.655 0.9" hidden=256 out=""
while (($#)); do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --parts) parts="$2"; shift 2 ;;
    --dataset) dataset="$2"; shift 2 ;;
    --data-dir) data_dir="$2"; shift 2 ;;
    --real) real="$2"; shift 2 ;;
    --csbm) csbm="$2"; shift 2 ;;
    --hidden) hidden="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) compare_help "${BASH_SOURCE[0]}" ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -z "$build" ]]; then
  build="$root/build"
  [[ -x "$build/bench/moegnn_partition_bench" ]] || build="$root/build-dev"
fi
bench="$build/bench/moegnn_partition_bench"
if [[ ! -x "$bench" ]]; then
  echo "error: $bench not found; build it: cmake --build $build --target moegnn_partition_bench" >&2
  exit 1
fi
[[ -n "$out" ]] || out="$(mktemp --suffix=.jsonl)"
: > "$out"
plist="$(echo $parts | tr ' ' ',')"
echo "# $(date -u +%FT%TZ) $(compare_cpu); load: $(uptime | sed 's/.*load average: //')" >&2
if [[ -n "$dataset" ]]; then
  nice -n 10 "$bench" volume --parts "$plist" --dataset "$dataset" --data-dir "$data_dir" >> "$out"
else
  nice -n 10 "$bench" volume --parts "$plist" >> "$out"
fi
for h in $csbm; do
  nice -n 10 "$bench" volume --parts "$plist" --csbm "$h" --features 128 | sed "s/\"arxiv-size-csbm\"/\"arxiv-size CSBM h=$h\"/" >> "$out"
done
for d in $real; do
  nice -n 10 "$bench" volume --parts "$plist" --dataset "$d" --data-dir "$data_dir" >> "$out"
done
echo "# raw: $out" >&2
python3 - "$out" "$hidden" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
hidden = int(sys.argv[2])
def epoch_bytes(r, halo):  # 3 layers: inputs of width F, hidden, hidden; forward + backward
    return halo * (r["features"] + 2 * hidden) * 4 * 2
print("| graph | P | method | edge cut (% of edges) | halo volume | max part halo | MB / epoch (fwd + bwd) | node / train imbalance | random / METIS halo |")
print("|---|---|---|---|---|---|---|---|---|")
by = {(r["graph"], r["parts"], r["method"]): r for r in rows}
for r in rows:
    other = by.get((r["graph"], r["parts"], "random"))
    ratio = "" if r["method"] != "metis" or not other or r["halo_volume"] == 0 else \
        f"**{other['halo_volume'] / r['halo_volume']:.2f}x**"
    print(f"| {r['graph']} ({r['nodes']} nodes, {r['edges']} edges, F {r['features']}) | {r['parts']} | "
          f"{r['method']} | {r['edge_cut']} ({100 * r['edge_cut'] / r['edges']:.1f} %) | "
          f"{r['halo_volume']} | {max(r['part_halo'])} | {epoch_bytes(r, r['halo_volume']) / 1e6:.1f} | "
          f"{r['node_imbalance']:.3f} / {r['train_imbalance']:.3f} | {ratio} |")
PY
