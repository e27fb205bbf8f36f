#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Measured communication of distributed full-graph training (issue 22): runs
# `mpirun -np P moegnn-node-classification --distributed` on METIS and on random parts of each
# dataset for each P, and reports the bytes all ranks sent per epoch, split into the halo exchanges
# (forward rows and backward gradients of every layer after the first, plus the evaluation forward;
# the input features' halo rows are fetched once per run and amortised over the epochs) and the
# deterministic gradient allreduce (the same for both partitions), and the random / METIS ratio of
# the halo bytes. Model: GCN, --layers 3 --hidden 256, dropout 0 (the model of
# bench/compare/partition_volume.sh). Wall times on an oversubscribed 2-core machine mean little:
# the compute / wait seconds are in the JSON.
#
# usage: bench/compare/dist_bytes.sh [--build DIR] [--parts "2 4"] [--datasets "cora citeseer"]
#          [--epochs 5] [--data-dir DIR] [--out FILE]
#   --build     build folder holding apps/moegnn-node-classification and apps/moegnn-data
#               (default build, else build-dev)
#   --datasets  registered datasets, or "gen:N" for a generated CSBM graph of N nodes
#   --out       the raw per-run JSON lines (default: a temporary file)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="" parts="2 4" datasets="cora citeseer" epochs=5 out=""
data_dir="${MOEGNN_DATA_DIR:-/work/shared/datasets}"
while (($#)); do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --parts) parts="$2"; shift 2 ;;
    --datasets) datasets="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --data-dir) data_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument '$1' (see --help)" >&2; exit 1 ;;
  esac
done
if [[ -z "$build" ]]; then
  build="$root/build"
  [[ -x "$build/apps/moegnn-node-classification" ]] || build="$root/build-dev"
fi
nc="$build/apps/moegnn-node-classification" data="$build/apps/moegnn-data"
for b in "$nc" "$data"; do
  [[ -x "$b" ]] || { echo "error: $b not found; cmake --build $build --target moegnn_node_classification moegnn_data" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[[ -n "$out" ]] || out="$tmp/runs.jsonl"
: > "$out"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 MOEGNN_DATA_DIR="$data_dir"
echo "load: $(uptime | sed 's/.*load average: //')"
for ds in $datasets; do
  for P in $parts; do
    for method in metis random; do
      dir="$tmp/$ds-$P-$method"
      if [[ "$ds" == gen:* ]]; then
        "$data" partition --nodes "${ds#gen:}" --parts "$P" --method "$method" --out "$dir" > /dev/null
      else
        "$data" partition "$ds" --offline --parts "$P" --method "$method" --out "$dir" > /dev/null
      fi
      mpirun -np "$P" --oversubscribe "$nc" --distributed "$dir" --model gcn --layers 3 \
        --hidden 256 --dropout 0 --epochs "$epochs" --threads 1 --quiet --out "$tmp/r.json" > /dev/null
      python3 - "$tmp/r.json" "$ds" "$P" "$method" "$epochs" >> "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ranks = r["distributed"]["per_rank"][0]
print(json.dumps({"dataset": sys.argv[2], "parts": int(sys.argv[3]), "method": sys.argv[4],
                  "epochs": int(sys.argv[5]), "ranks": ranks}))
PY
    done
  done
done
python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {(r["dataset"], r["parts"], r["method"]): r for r in rows}
print("| graph | P | METIS halo MB / epoch | random halo MB / epoch | random / METIS | gradient MB / epoch | METIS wait s (max rank) |")
print("|---|---|---|---|---|---|---|")
for (ds, P, m), r in by.items():
    if m != "metis" or (ds, P, "random") not in by: continue
    def mb(run, key=None):
        e = run["epochs"]
        tot = sum(x["bytes_sent"] for x in run["ranks"]) / e / 1e6
        red = sum(x["reduce_bytes"] for x in run["ranks"]) / e / 1e6
        return tot - red, red
    hm, gm = mb(r)
    hr, _ = mb(by[(ds, P, "random")])
    wait = max(x["wait_seconds"] for x in r["ranks"])
    print(f"| {ds} | {P} | {hm:.2f} | {hr:.2f} | {hr / hm if hm else float('nan'):.1f}x | {gm:.2f} | {wait:.2f} |")
PY
