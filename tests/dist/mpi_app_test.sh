#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# moegnn-node-classification --distributed under mpirun (ctest label mpi): a missing or mismatched
# part set is refused by name before training; killing rank 1 mid-run ends every rank within
# seconds with a non-zero exit and leaves a loadable checkpoint (no half-written file); resuming
# from it reproduces the uninterrupted run bit for bit.
# Usage: mpi_app_test.sh MPIEXEC MOEGNN_DATA MOEGNN_NODE_CLASSIFICATION
set -u
MPIEXEC=$1 DATA=$2 NC=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
run() { "$MPIEXEC" --oversubscribe --allow-run-as-root "$@"; }
export OMP_NUM_THREADS=1

"$DATA" partition --nodes 1200 --parts 2 --out "$T/p2" > /dev/null || fail "partition"
common=(--model gcn --hidden 16 --threads 1 --quiet)

# 1. A missing set, a set of another size, a part with a missing file: refused by name, no log.
out=$(run -np 2 "$NC" --distributed "$T/none" "${common[@]}" --log "$T/a.log" 2>&1) && fail "missing dir accepted"
grep -q "none" <<< "$out" || fail "missing dir not named: $out"
out=$(run -np 4 "$NC" --distributed "$T/p2" "${common[@]}" --log "$T/a.log" 2>&1) && fail "4 ranks on 2 parts accepted"
grep -q "2 parts vs 4 ranks" <<< "$out" || fail "rank count not named: $out"
cp -r "$T/p2" "$T/broken"
rm "$T/broken/part-1/labels.arr"
out=$(run -np 2 "$NC" --distributed "$T/broken" "${common[@]}" --log "$T/a.log" 2>&1) && fail "broken part accepted"
grep -q "labels.arr" <<< "$out" || fail "missing file not named: $out"
grep -q "rank 1/2" <<< "$out" || fail "failing rank not named: $out"
[[ ! -e "$T/a.log" ]] || fail "training started on a refused part set"

# 2. The uninterrupted run.
run -np 2 "$NC" --distributed "$T/p2" "${common[@]}" --epochs 8 --log "$T/full.log" \
  --save "$T/full.ckpt" > /dev/null 2>&1 || fail "uninterrupted run"

# 3. Rank 1 killed at epoch 5: every rank ends within seconds, non-zero, checkpoint of epoch 4.
start=$(date +%s)
out=$(MOEGNN_TEST_KILL_RANK_AT_EPOCH=1:5 run -np 2 -x MOEGNN_TEST_KILL_RANK_AT_EPOCH "$NC" \
  --distributed "$T/p2" "${common[@]}" --epochs 8 --log "$T/res.log" --save "$T/res.ckpt" 2>&1) &&
  fail "killed run exited 0"
elapsed=$(( $(date +%s) - start ))
(( elapsed < 60 )) || fail "killed run took ${elapsed}s"
[[ -f "$T/res.ckpt" ]] || fail "no checkpoint before the kill"
leftovers=$(find "$T" -maxdepth 1 -name '*.tmp*' | wc -l)
(( leftovers == 0 )) || fail "half-written files left: $(ls "$T")"
(( $(wc -l < "$T/res.log") == 4 )) || fail "expected 4 logged epochs before the kill, got $(wc -l < "$T/res.log")"

# 4. Resume == uninterrupted (every logged epoch bit for bit, up to the timings).
run -np 2 "$NC" --distributed "$T/p2" "${common[@]}" --epochs 8 --log "$T/res.log" \
  --save "$T/res.ckpt" --resume > /dev/null 2>&1 || fail "resume"
strip() { sed -E 's/"(seconds|cpu_seconds|eval_seconds|eval_cpu_seconds)":[^,}]*,?//g' "$1"; }
diff <(strip "$T/full.log") <(strip "$T/res.log") > /dev/null || fail "resume differs: $(diff <(strip "$T/full.log") <(strip "$T/res.log") | head -5)"
echo "mpi_app_test: all checks passed (killed run ended in ${elapsed}s)"
