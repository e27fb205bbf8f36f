#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NCN training epoch and evaluation pass, moegnn-link-prediction vs a pure-PyTorch port of the NCN
# reference (bench/compare/ncn_torch.py; the reference itself needs torch_sparse / torch_scatter,
# which do not build for the venv's torch), interleaved on the same machine with the same threads
# and the settings of configs/link/ncn-<dataset>.json.
#
#   bench/compare/ncn_vs_torch.sh [--datasets "cora ogbl-ddi"] [--rounds N] [--epochs N]
#                                 [--ddi-epochs N] [--ddi-steps N] [--ddi-test-batch N] [--threads N]
#                                 [--build-dir DIR] [--out FILE]
#
# Each round runs moegnn then torch (one process each: --epochs training epochs, default 3, each
# followed by the evaluation pass = one encoder pass + scoring of the validation and test positives
# and negatives). ogbl-ddi runs --ddi-epochs (default 1) epochs that stop after --ddi-steps steps of
# 24,576 positives (a full epoch is 43 steps; both sides stop at the same step) and scores in chunks
# of --ddi-test-batch pairs (default 16,384, both sides: the config's 131,072 makes the port's
# intersection hold ~5 GB of int64 keys). Reported per side: the median over rounds x epochs of the
# training epoch and of the evaluation pass in wall seconds and in process CPU seconds (the first
# epoch of each process is left out as warm-up when there are more; on a loaded machine the CPU
# seconds are the comparable column), the whole process's CPU seconds (user + sys, data loading
# included), peak RSS (GNU time %M) and the load average before each process.
# Builds nothing: the build dir (default build, else build-dev) must hold
# apps/moegnn-link-prediction. Data: $MOEGNN_DATA_DIR (default ../shared/datasets); torch's
# Planetoid reads links to the original cora files in a temporary directory (removed on exit).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${MOEGNN_DATA_DIR:-$root/../shared/datasets}"
datasets="cora ogbl-ddi"
rounds=3
epochs=3
ddi_epochs=1
ddi_steps=3
ddi_test_batch=16384
threads=1
build_dir=""
out=""
usage() { sed -n '3,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --datasets) datasets="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --ddi-epochs) ddi_epochs="$2"; shift 2 ;;
    --ddi-steps) ddi_steps="$2"; shift 2 ;;
    --ddi-test-batch) ddi_test_batch="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 1 ;;
  esac
done
if [[ -z "$build_dir" ]]; then
  build_dir="$root/build"
  [[ -x "$build_dir/apps/moegnn-link-prediction" ]] || build_dir="$root/build-dev"
fi
bin="$build_dir/apps/moegnn-link-prediction"
[[ -x "$bin" ]] || { echo "error: $bin not found; build the moegnn-link-prediction target" >&2; exit 1; }
python="${PYTHON:-$root/.venv-bench/bin/python}"
[[ -x "$python" ]] || python="$root/../main/.venv-bench/bin/python"
"$python" -c "import torch, torch_geometric" || { echo "error: $python lacks torch / torch_geometric (bench/compare/common.sh sets up .venv-bench)" >&2; exit 1; }
out="${out:-$build_dir/ncn_vs_torch.json}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/planetoid/Cora/raw"
ln -s "$data"/cora/ind.cora.* "$work/planetoid/Cora/raw/"

# configs/link/ncn-<dataset>.json as ncn_torch.py flags.
torch_flags() {
  "$python" - "$root/configs/link/ncn-$1.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
skip = {"dataset", "model", "hits-k", "runs", "epochs"}
out = []
for k, v in c.items():
    if k in skip:
        continue
    if v is True:
        out.append("--" + k)
    elif v is not False:
        out += ["--" + k, str(v)]
print(" ".join(out))
PY
}

for ds in $datasets; do
  steps=0
  e=$epochs
  tb=()
  if [[ "$ds" == ogbl-ddi ]]; then
    steps=$ddi_steps
    e=$ddi_epochs
    tb=(--test-batch-size "$ddi_test_batch")
    root_dir="$data/ogbl-ddi"
  else
    root_dir="$work/planetoid"
  fi
  flags=$(torch_flags "$ds")
  for r in $(seq 1 "$rounds"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f "%U %S %M" -o "$work/$ds-m$r.time" "$bin" --config "$root/configs/link/ncn-$ds.json" \
      --data-dir "$data" --runs 1 --epochs "$e" --max-steps "$steps" --threads "$threads" \
      "${tb[@]}" --quiet --out "$work/$ds-m$r.json" > /dev/null
    echo "$load" > "$work/$ds-m$r.load"
    load=$(cut -d' ' -f1 /proc/loadavg)
    # shellcheck disable=SC2086
    /usr/bin/time -f "%U %S %M" -o "$work/$ds-t$r.time" "$python" "$root/bench/compare/ncn_torch.py" \
      --dataset "$ds" --data-root "$root_dir" $flags --epochs "$e" --max-steps "$steps" \
      --threads "$threads" "${tb[@]}" > "$work/$ds-t$r.json" 2> "$work/$ds-t$r.err" || { cat "$work/$ds-t$r.err" >&2; exit 1; }
    echo "$load" > "$work/$ds-t$r.load"
  done
done

"$python" - "$work" "$rounds" "$out" "$threads" "$datasets" <<'PY'
import json, statistics, sys
work, rounds, out, threads, datasets = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5].split()
def med(lists):
    vals = [v for l in lists for v in (l[1:] if len(l) > 1 else l)]
    return statistics.median(vals)
result = {"threads": int(threads), "rounds": rounds, "datasets": {}}
print(f"threads {threads}, {rounds} interleaved rounds per side")
print("| dataset | | moegnn | torch port | ratio |")
print("|---|---|---:|---:|---:|")
for ds in datasets:
    side = {}
    for key, tag in (("moegnn", "m"), ("torch", "t")):
        runs, cpu, rss, load = [], [], [], []
        for r in range(1, rounds + 1):
            j = json.load(open(f"{work}/{ds}-{tag}{r}.json")) if tag == "m" else \
                json.loads(open(f"{work}/{ds}-{tag}{r}.json").read().strip().splitlines()[-1])
            if tag == "m":
                run = j["runs"][0]
                runs.append((run["train_seconds_per_epoch"], run["eval_seconds_per_epoch"],
                             run["train_cpu_seconds_per_epoch"], run["eval_cpu_seconds_per_epoch"]))
            else:
                runs.append((j["train_seconds"], j["eval_seconds"], j["train_cpu_seconds"],
                             j["eval_cpu_seconds"]))
            u, s, m = open(f"{work}/{ds}-{tag}{r}.time").read().split()[-3:]
            cpu.append(float(u) + float(s))
            rss.append(int(m) / 1024)
            load.append(float(open(f"{work}/{ds}-{tag}{r}.load").read()))
        side[key] = {"train_s": med([x[0] for x in runs]), "eval_s": med([x[1] for x in runs]),
                     "train_cpu_s": med([x[2] for x in runs]), "eval_cpu_s": med([x[3] for x in runs]),
                     "process_cpu_s": statistics.median(cpu), "peak_rss_mib": max(rss),
                     "load_before": load, "raw": runs}
    m, t = side["moegnn"], side["torch"]
    result["datasets"][ds] = side
    label = "training epoch (s)" if ds != "ogbl-ddi" else "training, first steps of an epoch (s)"
    print(f"| {ds} | {label} | {m['train_s']:.3f} | {t['train_s']:.3f} | {t['train_s'] / m['train_s']:.1f}x |")
    print(f"| {ds} | evaluation pass, val + test (s) | {m['eval_s']:.3f} | {t['eval_s']:.3f} | {t['eval_s'] / m['eval_s']:.1f}x |")
    print(f"| {ds} | {label.replace('(s)', 'CPU (s)')} | {m['train_cpu_s']:.3f} | {t['train_cpu_s']:.3f} | {t['train_cpu_s'] / m['train_cpu_s']:.1f}x |")
    print(f"| {ds} | evaluation pass CPU (s) | {m['eval_cpu_s']:.3f} | {t['eval_cpu_s']:.3f} | {t['eval_cpu_s'] / m['eval_cpu_s']:.1f}x |")
    print(f"| {ds} | whole process CPU, median (s) | {m['process_cpu_s']:.1f} | {t['process_cpu_s']:.1f} | {t['process_cpu_s'] / m['process_cpu_s']:.1f}x |")
    print(f"| {ds} | peak RSS (MiB) | {m['peak_rss_mib']:.0f} | {t['peak_rss_mib']:.0f} | |")
    print(f"| {ds} | load before each process | {' '.join(map(str, m['load_before']))} | {' '.join(map(str, t['load_before']))} | |")
json.dump(result, open(out, "w"), indent=1)
print(f"(JSON: {out})")
PY
