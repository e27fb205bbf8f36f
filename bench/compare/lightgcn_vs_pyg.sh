#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# LightGCN, moegnn-recommend vs PyTorch Geometric's LightGCN (torch_geometric.nn.models.LightGCN),
# same threads, batch 1024, 64-d, 3 layers, Adam lr 0.005, BPR + 1e-4 L2, interleaved
# (moegnn, PyG, moegnn, PyG, ...) --repeats times, the median of each side's numbers reported:
#   - ML-100K (ratings >= 3, random 80/10/10): a full training epoch, and one evaluation (the
#     validation + test full-ranking passes; moegnn: user blocks and bounded heaps; PyG: dense
#     scores + torch.topk);
#   - a generated graph (default 100k users x 50k items x 5M interactions, Zipf-like popularity,
#     random 90/10, no validation): --steps training steps (each a full-graph forward and backward;
#     the time includes drawing the epoch's negatives, on both sides) and one test ranking pass
#     (PyG: dense blocks of 2^26 scores, torch.topk);
#   - the peak resident memory of each process (GNU time's %M) and `uptime`'s load next to each run.
# Usage: bench/compare/lightgcn_vs_pyg.sh [--build DIR] [--data DIR] [--threads T] [--repeats R]
#          [--epochs E] [--steps S] [--graph USERS ITEMS INTERACTIONS] [--skip-ml100k]
#          [--skip-generated]
# Defaults: --build build (falling back to build-dev), --data $MOEGNN_DATA_DIR or
# ../shared/datasets, --threads 2, --repeats 3, --epochs 2 (median over epochs within a run),
# --steps 5. PYTHON (default ./.venv-bench/bin/python) needs torch and torch_geometric.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build=""; data=${MOEGNN_DATA_DIR:-$root/../shared/datasets}; threads=2; repeats=3; epochs=2
steps=5; gu=100000; gi=50000; gr=5000000; ml=1; gen=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --build) build=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --graph) gu=$2; gi=$3; gr=$4; shift 4 ;;
    --skip-ml100k) ml=0; shift ;;
    --skip-generated) gen=0; shift ;;
    *) echo "unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -z "$build" ]]; then build=$root/build; [[ -x $build/apps/moegnn-recommend ]] || build=$root/build-dev; fi
bin=$build/apps/moegnn-recommend
[[ -x $bin ]] || { echo "error: $bin not found; build the moegnn-recommend target" >&2; exit 1; }
python=${PYTHON:-$root/.venv-bench/bin/python}
"$python" -c "import torch, torch_geometric" || { echo "error: $python lacks torch/torch_geometric" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(--model lightgcn --lr 0.005 --dim 64 --layers 3 --batch-size 1024 --l2 1e-4 --eval-every 1
        --threads "$threads" --quiet --seed 1)

load() { uptime | sed 's/.*load average: //' | cut -d, -f1; }

# run_pair NAME MOEGNN_ARGS... -- PYG_ARGS...: one repeat of each side, results appended to NAME.*.
run_pair() {
  local name=$1; shift
  local m=() p=()
  while [[ $1 != -- ]]; do m+=("$1"); shift; done; shift; p=("$@")
  local r=$(( $(ls "$work" | grep -c "^$name.m[0-9]*.json$" || true) + 1 ))
  local l1; l1=$(load)
  /usr/bin/time -f "%M" -o "$work/$name.m$r.rss" "$bin" "${m[@]}" "${common[@]}" \
    --out "$work/$name.m$r.json" > /dev/null
  echo "$l1" > "$work/$name.m$r.load"
  local l2; l2=$(load)
  /usr/bin/time -f "%M" -o "$work/$name.p$r.rss" "$python" "$root/bench/compare/lightgcn_pyg.py" \
    "${p[@]}" --threads "$threads" 2> "$work/$name.p$r.err" | tail -1 > "$work/$name.p$r.json" \
    || { cat "$work/$name.p$r.err" >&2; exit 1; }
  echo "$l2" > "$work/$name.p$r.load"
}

if (( ml )); then
  for ((r = 1; r <= repeats; r++)); do
    run_pair ml100k --dataset ml-100k --data-dir "$data" --epochs "$epochs" -- \
      "$data/ml-100k" --epochs "$epochs"
  done
fi
if (( gen )); then
  csv=$work/generated.csv
  "$python" "$root/bench/compare/lightgcn_pyg.py" --generate "$gu" "$gi" "$gr" "$csv"
  for ((r = 1; r <= repeats; r++)); do
    run_pair generated --dataset "$csv" --val-fraction 0 --test-fraction 0.1 --epochs "$epochs" \
      --max-steps "$steps" --ks 10 20 -- "$csv" --epochs "$epochs" --steps "$steps"
  done
fi

"$python" - "$work" "$threads" "$steps" <<'PY'
import glob, json, statistics, sys
w, threads, steps = sys.argv[1], sys.argv[2], sys.argv[3]
def med(xs): return statistics.median(xs)
for name, label in (("ml100k", "ML-100K, full epoch"), ("generated", f"generated, {steps} steps")):
    ms = sorted(glob.glob(f"{w}/{name}.m*.json"))
    if not ms: continue
    m_ep, m_ev, m_rss, p_ep, p_ev, p_rss, loads = [], [], [], [], [], [], []
    for f in ms:
        r = f[len(f"{w}/{name}.m"):-5]
        run = json.load(open(f))["runs"][0]
        p = json.loads(open(f"{w}/{name}.p{r}.json").read())
        m_ep.append(run["seconds_per_epoch"]); m_ev.append(run["seconds_per_evaluation"])
        p_ep.append(p["epoch_seconds"]); p_ev.append(p["eval_seconds"])
        m_rss.append(int(open(f"{w}/{name}.m{r}.rss").read().split()[-1]) / 1024)
        p_rss.append(int(open(f"{w}/{name}.p{r}.rss").read().split()[-1]) / 1024)
        loads += [open(f"{w}/{name}.m{r}.load").read().strip(), open(f"{w}/{name}.p{r}.load").read().strip()]
    print(f"\n{label}: {p['users']} users x {p['items']} items, {p['train']} train, "
          f"{threads} threads, median of {len(ms)} interleaved runs, load (1 min) {', '.join(loads)}")
    print("| | moegnn | PyG | PyG / moegnn |")
    print("|---|---:|---:|---:|")
    print(f"| training ({label.split(', ')[1]}) (s) | {med(m_ep):.3f} | {med(p_ep):.3f} | {med(p_ep) / med(m_ep):.1f}x |")
    print(f"| evaluation (s) | {med(m_ev):.4f} | {med(p_ev):.4f} | {med(p_ev) / med(m_ev):.1f}x |")
    print(f"| peak RSS (MiB) | {med(m_rss):.0f} | {med(p_rss):.0f} | |")
    print(f"| test NDCG@10 (last run) | {run['test']['ndcg@10']:.4f} | {p['test_ndcg@10']:.4f} | |")
PY
