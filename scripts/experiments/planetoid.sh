#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Planetoid public split, 20 seeds: GCN (Kipf & Welling's setup) and GAT (Velickovic et al.'s) on
# Cora and CiteSeer, from configs/planetoid/*.json. The hyperparameters are the papers' (no search);
# the reported test accuracy is that of the epoch selected on validation (accuracy for GCN; for GAT
# the rule of its reference code: validation accuracy >= and loss <= the best so far) of each run.
# Prints one line per config ("mean ± std" over the 20 runs) and keeps the JSON results under
# build/experiments/planetoid/.
#   scripts/experiments/planetoid.sh [binary] [data dir]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${1:-$root/build/apps/moegnn-node-classification}
data=${2:-${MOEGNN_DATA_DIR:-$root/../shared/datasets}}
out=$root/build/experiments/planetoid
mkdir -p "$out"
for config in gcn-cora gcn-citeseer gat-cora gat-citeseer; do
  "$bin" --config "$root/configs/planetoid/$config.json" --data-dir "$data" --quiet \
    --threads "${THREADS:-2}" --out "$out/$config.json" | grep -E "accuracy" | sed "s/^/$config  /"
done
