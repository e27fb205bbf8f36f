#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side full-batch GCN training: moegnn vs PyTorch Geometric on the same graph file, the
# same model (3 × GCNConv, hidden 256, 40 classes, BatchNorm, ReLU, dropout 0.5, Adam lr 0.01),
# the same thread count and epochs, in one run, so the ratio compares like with like.
#
#   bench/compare/gcn_vs_pyg.sh [--threads N] [--epochs N] [--warmup N] [--build-dir DIR]
#                               [--out FILE]
#
# 1. creates .venv-bench (git-ignored) and pip installs torch 2.x (CPU use; the PyPI wheel) and
#    torch-geometric 2.8 unless already there;
# 2. configures and builds moegnn_models_bench (bench/models/gcn_epoch.cpp) in DIR
#    (default build-compare), Release, benchmarks on, CUDA off;
# 3. writes graph::arxiv_scale_graph(1) with 128 random features and random labels to a file;
# 4. times PyG (edge_index and torch.sparse CSR adjacency) and moegnn on it, and prints a table
#    (also written as JSON to --out, default build-compare/gcn_vs_pyg.json).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads="$(nproc)"
epochs=10
warmup=2
build_dir="$root/build-compare"
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "error: unknown argument $1 (see the header of $0)" >&2; exit 1 ;;
  esac
done
out="${out:-$build_dir/gcn_vs_pyg.json}"

# 1. Python environment.
venv="$root/.venv-bench"
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import torch, torch_geometric, numpy" 2>/dev/null; then
  avail_gb=$(df -Pk "$root" | awk 'NR == 2 { print int($4 / 1048576) }')
  if (( avail_gb < 8 )); then
    echo "error: ${avail_gb} GiB free under $root; the torch wheel and its dependencies need ~6 GiB" >&2
    exit 1
  fi
  "$venv/bin/pip" install --quiet "torch>=2,<3" "torch-geometric==2.8.*" numpy
fi

# 2. The C++ program.
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMOEGNN_WITH_CUDA=OFF \
  -DMOEGNN_BUILD_BENCHMARKS=ON -DMOEGNN_BUILD_TESTS=OFF -DMOEGNN_BUILD_APPS=OFF >/dev/null
cmake --build "$build_dir" --target moegnn_models_bench -- -j"$(nproc)"
bench="$build_dir/bench/moegnn_models_bench"

# 3. The shared graph file.
graph="$build_dir/arxiv_scale_gcn.bin"
if [[ ! -s "$graph" ]]; then
  "$bench" --write-graph "$graph" --seed 1 --features 128 --classes 40
fi

# 4. Both frameworks, same threads and epochs.
common=(--graph "$graph" --epochs "$epochs" --warmup "$warmup" --threads "$threads")
echo "timing PyG (edge_index) ..." >&2
pyg_coo="$("$venv/bin/python" "$root/bench/compare/gcn_pyg.py" "${common[@]}" --format edge_index)"
echo "timing PyG (torch.sparse CSR) ..." >&2
pyg_csr="$("$venv/bin/python" "$root/bench/compare/gcn_pyg.py" "${common[@]}" --format csr)"
echo "timing moegnn ..." >&2
moegnn="$("$bench" "${common[@]}")"

cpu="$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
"$venv/bin/python" - "$out" "$cpu" "$pyg_coo" "$pyg_csr" "$moegnn" <<'PY'
import datetime, json, sys
out, cpu = sys.argv[1], sys.argv[2]
runs = [json.loads(s) for s in sys.argv[3:]]
ours = runs[-1]
best_pyg = min(runs[:-1], key=lambda r: r["median"])
report = {
    "date": datetime.date.today().isoformat(), "cpu": cpu, "threads": ours["threads"],
    "epochs": ours["epochs"], "runs": runs,
    "speedup_vs_best_pyg": best_pyg["median"] / ours["median"],
}
print(f"GCN full-batch training epoch, arxiv-scale graph, {report['date']}, {cpu}, "
      f"{ours['threads']} threads, median of {ours['epochs']} epochs")
print(f"{'framework':<28}{'median s/epoch':>16}{'final loss':>12}{'moegnn speedup':>16}")
for r in runs:
    name = r["framework"] + (f" ({r['format']})" if "format" in r else "")
    print(f"{name:<28}{r['median']:>16.4f}{r['final_loss']:>12.4f}"
          f"{r['median'] / ours['median']:>15.2f}x")
print(f"torch {runs[0]['torch']}, torch_geometric {runs[0]['torch_geometric']}")
with open(out, "w") as f:
    json.dump(report, f, indent=2)
print(f"written: {out}")
PY
