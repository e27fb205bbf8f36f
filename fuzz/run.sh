#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer targets of the dataset readers with clang (ASan + UBSan) and runs each one
# for SECONDS (default 20) on a fresh corpus seeded from the reader fixtures in tests/data/io and
# from inputs that declare huge shapes and sizes (fuzz/make_bomb_seeds.py), under a 2 GiB RSS
# limit and a 1 GiB limit per allocation, so a reader that trusts a declared size fails the run.
# Crash inputs land in $BUILD/artifacts; the script exits non-zero when any target fails.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]   TARGET: npy npz pickle torch_legacy csv text_table mat
# Environment: MOEGNN_FUZZ_BUILD (default build-fuzz), MOEGNN_JOBS (default 2), MOEGNN_FUZZ_SEED
# (default 1, so CI explores the same inputs first on every run; 0 lets libFuzzer pick one).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-20}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(npy npz pickle torch_legacy csv text_table mat)
build=${MOEGNN_FUZZ_BUILD:-$root/build-fuzz}

if ! command -v clang++ >/dev/null; then
  echo "fuzz/run.sh: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
fi
launcher=()  # ccache when there is one (scripts/common.sh sets its base directory)
if [[ "${MOEGNN_CCACHE:-1}" != 0 ]] && command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
CC=clang CXX=clang++ cmake -S "$root/fuzz" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
ninja -C "$build" -j"${MOEGNN_JOBS:-2}" "${targets[@]/#/fuzz_}"

# Seed files per target (the csv and text targets read their options from the first byte).
seeds_for() {
  case $1 in
    npy) ls "$root"/tests/data/io/npy_*.npy ;;
    npz) ls "$root"/tests/data/io/*.npz ;;
    pickle) ls "$root"/tests/data/io/*.pkl ;;
    torch_legacy) ls "$root"/tests/data/io/*.pt ;;
    csv) ls "$root"/tests/data/io/csv_* ;;
    text_table) ls "$root"/tests/data/io/text_* ;;
    mat) ls "$root"/tests/data/linkx/*.mat "$root"/tests/data/linkx/*/*.mat ;;
  esac
}

mkdir -p "$build/artifacts"
failed=()
for target in "${targets[@]}"; do
  work=$(mktemp -d)
  mkdir -p "$work/corpus" "$work/seeds"
  while read -r seed; do
    if [[ $target == csv || $target == text_table ]]; then
      { printf '\0'; cat "$seed"; } > "$work/seeds/$(basename "$seed")"
    else
      cp "$seed" "$work/seeds/"
    fi
  done < <(seeds_for "$target")
  if command -v python3 >/dev/null; then
    python3 "$root/fuzz/make_bomb_seeds.py" "$target" "$work/seeds"
  fi
  echo "== fuzz_$target: ${seconds}s on $(ls "$work/seeds" | wc -l) seeds"
  if ! "$build/fuzz_$target" -seed="${MOEGNN_FUZZ_SEED:-1}" -max_total_time="$seconds" \
      -max_len=16384 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
      -timeout=10 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
      "$work/corpus" "$work/seeds" > "$build/fuzz_$target.log" 2>&1; then
    failed+=("$target")
    tail -n 40 "$build/fuzz_$target.log"
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/fuzz_$target.log" | tr '\n' ' '
  echo
  rm -rf "$work"
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz/run.sh: failures in: ${failed[*]} (inputs in $build/artifacts)" >&2
  exit 1
fi
echo "fuzz/run.sh: ${#targets[@]} targets ran ${seconds}s each without failures"
