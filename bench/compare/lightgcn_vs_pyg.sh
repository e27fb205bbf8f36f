#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# LightGCN on ML-100K, moegnn vs PyTorch Geometric, one after the other on the same machine with the
# same threads, settings and protocol (ratings >= 3, random 80/10/10, 64-d, 3 layers, batch 1024,
# Adam lr 0.005, BPR + 1e-4 L2): the median training epoch, the median evaluation (validation +
# test full-ranking passes; moegnn: user blocks and bounded heaps, PyG: dense scores + torch.topk)
# and the peak resident memory of each process (GNU time's %M).
#   bench/compare/lightgcn_vs_pyg.sh <moegnn-recommend> <ml-100k dir> [epochs] [threads]
# Needs the .venv-bench of bench/compare/common.sh (torch, torch_geometric).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ $# -lt 2 || "$1" == "-h" || "$1" == "--help" ]]; then
  sed -n '3,/^set -euo pipefail/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  [[ $# -ge 1 && ( "$1" == "-h" || "$1" == "--help" ) ]] && exit 0
  exit 1
fi
bin=$1
dir=$2
epochs=${3:-3}
threads=${4:-2}
python=${PYTHON:-$root/.venv-bench/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/time -f "%M" -o "$work/moegnn.rss" "$bin" --dataset ml-100k \
  --data-dir "$(dirname "$dir")" --model lightgcn --lr 0.005 --epochs "$epochs" --eval-every 1 \
  --threads "$threads" --quiet --out "$work/moegnn.json" > /dev/null
/usr/bin/time -f "%M" -o "$work/pyg.rss" "$python" "$root/bench/compare/lightgcn_pyg.py" "$dir" \
  --epochs "$epochs" --threads "$threads" 2> /dev/null > "$work/pyg.json"
"$python" - "$work" <<'PY'
import json, sys
w = sys.argv[1]
m = json.load(open(f"{w}/moegnn.json"))["runs"][0]
p = json.loads(open(f"{w}/pyg.json").read().strip().splitlines()[-1])
m_rss = int(open(f"{w}/moegnn.rss").read().split()[-1]) / 1024
p_rss = int(open(f"{w}/pyg.rss").read().split()[-1]) / 1024
print(f"| | moegnn | PyG | ratio |")
print(f"|---|---:|---:|---:|")
print(f"| training epoch (s) | {m['seconds_per_epoch']:.3f} | {p['epoch_seconds']:.3f} | {p['epoch_seconds'] / m['seconds_per_epoch']:.1f}x |")
print(f"| evaluation, val + test (s) | {m['seconds_per_evaluation']:.4f} | {p['eval_seconds']:.4f} | {p['eval_seconds'] / m['seconds_per_evaluation']:.1f}x |")
print(f"| peak RSS (MiB) | {m_rss:.0f} | {p_rss:.0f} | |")
print(f"| test NDCG@10 after the epochs | {m['test']['ndcg@10']:.4f} | {p['test_ndcg@10']:.4f} | |")
PY
