#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SpMM-sum on the arxiv-scale graph (graph::arxiv_scale_graph(1), unweighted): moegnn's kernel
# (moegnn_layers_bench BM_SpmmSum, with the STREAM triad of the same process) against
# torch.sparse.mm on a torch CSR tensor of the same graph, interleaved round by round so that both
# see the same load; medians over the rounds, the 1-minute load average recorded per round.
#
#   bench/compare/spmm_vs_torch.sh [--rounds N] [--widths 64,128,256] [--build-dir DIR]
#                                  [--out FILE]
#
# Both sides use every CPU the process may run on (moegnn's default thread count, torch given the
# same number); restrict both with taskset, e.g. taskset -c 0,1 bench/compare/spmm_vs_torch.sh.
# Builds nothing: DIR (default build/, scripts/test.sh's, else build-dev/) must hold
# bench/moegnn_layers_bench and bench/moegnn_models_bench (the latter writes the graph file,
# DIR/arxiv_scale_gcn.bin, shared with gcn_vs_pyg.sh). % triad uses the compulsory model
# nnz·4 + 2·n·F·4 bytes (the unweighted kernel reads no edge value). JSON goes to --out (default
# DIR/spmm_vs_torch.json).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=bench/compare/common.sh
source "$root/bench/compare/common.sh"
threads="$(nproc)"  # what moegnn's default (oneTBB) uses under taskset too
rounds=3
widths="64,128,256"
build_dir="$(compare_default_build_dir "$root")"
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) compare_help "$0" ;;
    --rounds) rounds="$2"; shift 2 ;;
    --widths) widths="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "error: unknown argument $1 (see $0 --help)" >&2; exit 1 ;;
  esac
done
out="${out:-$build_dir/spmm_vs_torch.json}"
compare_setup_venv "$root"
compare_find_bench "$root" "$build_dir"
layers="$build_dir/bench/moegnn_layers_bench"
[[ -x "$layers" ]] || { echo "error: $layers not found; build target moegnn_layers_bench" >&2; exit 1; }

graph="$build_dir/arxiv_scale_gcn.bin"
if [[ ! -s "$graph" ]]; then
  "$bench" --write-graph "$graph" --seed 1 --features 128 --classes 40
fi
filter="BM_StreamTriad|BM_SpmmSum/F:(${widths//,/|})/"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for ((r = 1; r <= rounds; ++r)); do
  echo "round $r/$rounds: moegnn, load $(cut -d' ' -f1 /proc/loadavg) ..." >&2
  cut -d' ' -f1 /proc/loadavg > "$work/load_m$r"
  "$layers" \
    --benchmark_filter="$filter" --benchmark_format=json --benchmark_min_time=0.5 \
    > "$work/moegnn_$r.json" 2> /dev/null
  echo "round $r/$rounds: torch.sparse.mm, load $(cut -d' ' -f1 /proc/loadavg) ..." >&2
  cut -d' ' -f1 /proc/loadavg > "$work/load_t$r"
  "$venv/bin/python" "$root/bench/compare/spmm_torch.py" --graph "$graph" --widths "$widths" \
    --threads "$threads" > "$work/torch_$r.json"
done

"$venv/bin/python" - "$work" "$rounds" "$out" "$(compare_cpu)" <<'PY'
import datetime, json, os, statistics, sys, tempfile
work, rounds, out, cpu = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
moegnn, torch_ms, triad, loads = {}, {}, [], []
for r in range(1, rounds + 1):
    loads += [float(open(f"{work}/load_{s}{r}").read()) for s in "mt"]
    for b in json.load(open(f"{work}/moegnn_{r}.json"))["benchmarks"]:
        if b["name"].startswith("BM_StreamTriad"):
            triad.append(b["best_GB/s"])
        elif b["name"].startswith("BM_SpmmSum/F:"):
            f = int(b["name"].split("F:")[1].split("/")[0])
            moegnn.setdefault(f, []).append((b["real_time"], b["%triad"]))
    for f, ms in json.loads(open(f"{work}/torch_{r}.json").read())["ms"].items():
        torch_ms.setdefault(int(f), []).append(ms)
rows = []
print(f"SpMM-sum, arxiv-scale graph; {cpu}; rounds {rounds}; load {min(loads):.2f}-{max(loads):.2f}; "
      f"triad best {statistics.median(triad):.1f} GB/s (median over rounds)")
print(f"{'F':>4} {'moegnn ms':>10} {'% triad':>8} {'torch ms':>9} {'speed-up':>9}   runs (moegnn | torch)")
for f in sorted(moegnn):
    m = statistics.median(t for t, _ in moegnn[f])
    pct = statistics.median(p for _, p in moegnn[f])
    t = statistics.median(torch_ms[f])
    rows.append({"F": f, "moegnn_ms": m, "pct_triad": pct, "torch_ms": t, "speedup": t / m,
                 "moegnn_runs_ms": [x for x, _ in moegnn[f]], "torch_runs_ms": torch_ms[f]})
    print(f"{f:>4} {m:>10.1f} {pct:>8.1f} {t:>9.1f} {t / m:>8.2f}x   "
          f"{' '.join(f'{x:.0f}' for x, _ in moegnn[f])} | {' '.join(f'{x:.0f}' for x in torch_ms[f])}")
doc = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
       "cpu": cpu, "loads": loads, "triad_best_gbs": triad, "rows": rows}
fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(out)))
with os.fdopen(fd, "w") as f:
    json.dump(doc, f, indent=1)
    f.flush()
    os.fsync(f.fileno())
os.replace(tmp, out)
PY
