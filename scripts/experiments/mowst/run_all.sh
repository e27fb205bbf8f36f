#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Reproduces docs/mowst.md: the results table (moegnn-mowst-experiments) and the routed-inference
# benchmark; every model's setting chosen on validation (--grid). Several hours on 2 cores.
# Usage: scripts/experiments/mowst/run_all.sh [BUILD_DIR] [DATA_DIR] > results.md
set -euo pipefail
build=${1:-build-mowst}
data=${2:-${MOEGNN_DATA_DIR:-../shared/datasets}}
app="$build/apps/moegnn-mowst-experiments"
"$app" --data-dir "$data" --runs 10 --epochs 200 --grid texas wisconsin cornell
"$app" --data-dir "$data" --runs 5 --epochs 200 --grid csbm:0.1 csbm:0.3 csbm:0.5 csbm:0.7 csbm:0.9 | tail -n +3
"$app" --data-dir "$data" --runs 10 --epochs 200 --grid cora citeseer chameleon | tail -n +3
"$build/bench/moegnn_models_bench" --benchmark_filter=Mowst >&2
