#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The whole check, as CI runs it (.ci/run) and as a newcomer runs it:
#   1. scripts/setup.sh (installs only what is missing);
#   2. the module-rule check (scripts/check_includes.sh) with its self-test, and the README example
#      check (scripts/check_readme.sh): seconds, so first;
#   3. Release build in `build` with -Werror (CUDA when nvcc is found, apps and benchmarks too),
#      then `ctest -LE cuda` (GPU tests carry the label cuda and skip without a GPU anyway);
#   4. `cmake --install` into a temporary prefix, then examples/consumer built against it with
#      find_package(moegnn CONFIG) and run;
#   5. ASan + UBSan build in `build-asan` (CPU only, -O1, assertions on) running the same tests;
#   6. the libFuzzer targets of the format readers (fuzz/run.sh), MOEGNN_FUZZ_SECONDS each
#      (default 10; 0 skips), built with clang + ASan + UBSan;
#   7. both ctest summaries again, so the output ends with ctest's summary lines.
# The Python interop test (safetensors checkpoints) runs in a virtual environment, .venv-test, made
# here from PyPI with numpy and safetensors.
# Stops at the first failure with a non-zero exit. MOEGNN_JOBS sets the compile jobs (default: all
# cores); MOEGNN_CCACHE=0 turns ccache off.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# run_ctest <build dir> <log>: the project's test command, output kept for the closing summary.
run_ctest() {
  ctest --test-dir "$1" -LE cuda -j2 --output-on-failure 2>&1 | tee "$2"
}

step "setup: Debian packages"
scripts/setup.sh

step "check: module rules (include direction, privacy, no #if on CUDA), README example"
scripts/check_includes_test.sh
scripts/check_includes.sh
scripts/check_readme.sh

step "setup: .venv-test (numpy, safetensors, networkx, ogb's evaluator) for the interop tests"
if [[ ! -x .venv-test/bin/python ]] ||
   ! .venv-test/bin/python -c 'import numpy, safetensors, networkx, pandas, sklearn, ogb' 2>/dev/null; then
  python3 -m venv .venv-test
  .venv-test/bin/pip install -q --disable-pip-version-check numpy safetensors networkx pandas \
    scikit-learn
  # ogb's Evaluator needs only numpy, pandas and scikit-learn; its declared dependencies pull torch.
  .venv-test/bin/pip install -q --disable-pip-version-check --no-deps ogb
fi
interop=(-DMOEGNN_PYTHON_INTEROP="$PWD/.venv-test/bin/python")

step "configure: build (Release, -Werror)"
cmake --preset default -DMOEGNN_WARNINGS_AS_ERRORS=ON -DMOEGNN_BUILD_TESTS=ON \
  -DMOEGNN_BUILD_APPS=ON -DMOEGNN_BUILD_BENCHMARKS=ON "${interop[@]}" "${moegnn_cmake_launcher[@]}"

step "build: build ($moegnn_jobs jobs)"
cmake --build build -j "$moegnn_jobs"

step "test: build"
run_ctest build "$scratch/ctest-release.log"

step "install: build -> $scratch/prefix"
cmake --install build --prefix "$scratch/prefix" >"$scratch/install.log"
scripts/check_install.sh "$scratch/prefix"

step "consumer: examples/consumer against the installed package"
cmake -S examples/consumer -B "$scratch/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" "${moegnn_cmake_launcher[@]}"
cmake --build "$scratch/consumer" -j "$moegnn_jobs"
"$scratch/consumer/moegnn_consumer"
"$scratch/consumer/moegnn_readme_example"
"$scratch/consumer/moegnn_pipeline" train "$scratch"
"$scratch/consumer/moegnn_pipeline" predict "$scratch"  # a fresh process

step "configure: build-asan (address,undefined, -O1)"
cmake --preset asan -DMOEGNN_WARNINGS_AS_ERRORS=ON "${interop[@]}" "${moegnn_cmake_launcher[@]}"

step "build: build-asan ($moegnn_jobs jobs)"
cmake --build build-asan -j "$moegnn_jobs"

step "test: build-asan"
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}" \
UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}" \
  run_ctest build-asan "$scratch/ctest-asan.log"

fuzz_seconds="${MOEGNN_FUZZ_SECONDS:-10}"
if [[ "$fuzz_seconds" != 0 ]]; then
  step "fuzz: each reader's libFuzzer target for ${fuzz_seconds}s (fuzz/run.sh)"
  MOEGNN_JOBS="$moegnn_jobs" fuzz/run.sh "$fuzz_seconds"
fi

step "summary: all steps passed in $((SECONDS - moegnn_started)) s"
# Re-print each run's closing block (from ctest's "% tests passed" line to its end), Release last.
for run in "asan:build-asan (ASan + UBSan)" "release:build (Release)"; do
  echo "--- ${run#*:} ---"
  sed -n '/% tests passed/,$p' "$scratch/ctest-${run%%:*}.log"
done
