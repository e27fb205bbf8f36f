#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The distributed-training scaling model (issue 22; docs/benchmarks.md "Distributed training
# (model)"): times one GCN training step (3 layers, hidden 256, forward + backward, 1 thread) on
# every METIS part of the arxiv-scale graph for P = 1, 2, 4, 8 (moegnn_partition_bench step),
# partitions it for P = 1 .. 64 (volume), and feeds both to bench/compare/dist_scaling.py, which
# fits per-edge / per-row costs and projects the epoch time of the arxiv-scale and papers100M-scale
# graphs for P = 1 .. 64 at the stated bandwidths and latencies.
#
# usage: bench/compare/dist_scaling.sh [--build DIR] [--reps R] [--work DIR] [-- MODEL FLAGS]
#   --build  build folder holding bench/moegnn_partition_bench (default build, else build-dev)
#   --reps   timed steps per part and variant (median; default 5)
#   --work   where step.jsonl and volume.jsonl go (default a temporary folder)
#   flags after -- go to dist_scaling.py (--links, --cores, --halo-ratios; see its --help)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/bench/compare/common.sh"
build="" reps=5 work=""
while (($#)); do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    -h|--help) compare_help "${BASH_SOURCE[0]}" ;;
    --) shift; break ;;
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
[[ -n "$work" ]] || work="$(mktemp -d)"
mkdir -p "$work"
echo "# $(date -u +%FT%TZ) $(compare_cpu); load before: $(uptime | sed 's/.*load average: //')"
"$bench" step --parts 1,2,4,8 --reps "$reps" --threads 1 > "$work/step.jsonl"
echo "# load after the steps: $(uptime | sed 's/.*load average: //')"
"$bench" volume --parts 1,2,4,8,16,32,64 --methods metis > "$work/volume.jsonl"
echo "# raw: $work/step.jsonl $work/volume.jsonl"
python3 "$root/bench/compare/dist_scaling.py" --step "$work/step.jsonl" --volume "$work/volume.jsonl" "$@"
