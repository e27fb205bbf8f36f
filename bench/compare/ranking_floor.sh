#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# How far full-ranking evaluation can beat a dense torch top-k pass (issue 18's ">= 5x" target), in
# one run, interleaved, on 10,000 users x 50,000 items x 64 (a tenth of the generated graph's users;
# every cost scales with the users):
#   moegnn  BM_FullRanking (product, -inf mask, chunked top-K, metrics) and BM_RankingProductFloor
#           (the product alone, in the evaluation's blocks), from moegnn_models_bench (all cores);
#   torch   the product alone and lightgcn_pyg.py's dense pass (ranking_floor_torch.py, .venv-bench).
# The dense pass over moegnn's product floor bounds what any evaluation that forms every score
# can gain over it.
# Usage: bench/compare/ranking_floor.sh [--build DIR] [--repeats N] [--threads T (torch)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/bench/compare/common.sh"
build="$(compare_default_build_dir "$root")"
repeats=3 threads=2
while (($#)); do
  case $1 in
    --build) build=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) compare_help "$0" ;;
    *) echo "ranking_floor.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
compare_find_bench "$root" "$build"
compare_setup_venv "$root"
echo "# $(compare_cpu), $(date -u +%F), commit $(git -C "$root" rev-parse --short HEAD)"
for ((r = 1; r <= repeats; ++r)); do
  echo "# round $r, load $(cut -d' ' -f1 /proc/loadavg)"
  "$bench" --benchmark_min_time=0.01 \
    --benchmark_filter='FullRanking/users:10000/items:50000|ProductFloor.*max_rows:256' 2>/dev/null |
    awk '/^BM_/ {print "moegnn", $1, $2, $3}'
  "$venv/bin/python" "$root/bench/compare/ranking_floor_torch.py" --threads "$threads" --repeats 1 |
    sed 's/^/torch /'
done
