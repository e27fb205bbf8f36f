#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Self-test of scripts/check_includes.sh: a temporary tree that follows every rule must pass, and a
# tree with one planted violation per rule must fail with exactly those file:line reports. Run by
# ctest as Tooling.CheckIncludesSelfTest and by scripts/test.sh.
set -euo pipefail

checker="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check_includes.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# put <tree> <file> <lines...>: writes one file of the fake tree.
put() {
  local tree="$1" file="$2"
  shift 2
  mkdir -p "$work/$tree/$(dirname "$file")"
  printf '%s\n' "$@" > "$work/$tree/$file"
}

# 1. A tree that follows the rules.
put good core/tensor.h '#pragma once' '#include <vector>' '#include "core/types.h"'
put good core/parallel.cpp '#include <tbb/parallel_for.h>' '#include "core/parallel.h"'
put good core/cuda/runtime.cu '#include <cuda_runtime.h>' '#if __CUDA_ARCH__ >= 800' '#endif'
put good graph/csr.h '#include "core/tensor.h"' '#include "graph/types.h"'
put good graph/boost_adapter.cpp '#include <boost/graph/adjacency_list.hpp>' '#include "graph/csr.h"'
put good layers/ops/spmm.cpp '#include "layers/ops/cpu/spmm.h"' '#include "graph/csr.h"'
put good layers/ops/spmm.h '#include "core/tape.h"' '#include "graph/csr.h"'
put good models/mowst.cpp '#include "layers/ops/spmm.h"' '#include "core/ops/nn.h"'
put good datasets/planetoid.cpp '#include "graph/csr.h"' '#include "core/tensor.h"'
put good apps/main.cpp '#include "models/mowst.h"' '#include "datasets/planetoid.h"'
put good tests/layers/ops/spmm_test.cpp '#include "layers/ops/cpu/spmm.h"' \
  '#include "tests/support/gradcheck.h"' '#include "graph/generators.h"'
put good tests/models/gcn_test.cpp '#include "models/node/gcn.h"' '#include "datasets/csbm.h"'
put good tests/support/graphs.h '#include "graph/csr.h"'
put good bench/layers/ops/spmm_bench.cpp '#include "layers/ops/spmm.h"' \
  '#include "bench/support/report.h"' '#include "tests/support/gradcheck.h"'
put good tests/data/notes.h '#include "apps/whatever.h"'  # fixtures are not checked
put good layers/ops/cuda/spmm.cu '#include "core/cuda/context.h"' '#include "layers/ops/cuda/spmm.h"'
put good tests/cuda/ops_test.cpp '#include "core/cuda/check.h"' '#include "core/ops/linalg.h"'

if ! output="$("$checker" "$work/good" 2>&1)"; then
  echo "FAIL: a tree that follows the rules was rejected:"
  echo "$output"
  exit 1
fi

# 2. One violation per rule; `expect` lists the file:line each must be reported at.
expect=()
plant() {  # plant <file> <line number of the bad line> <lines...>
  local file="$1" line="$2"
  shift 2
  put bad "$file" "$@"
  expect+=("$file:$line:")
}
plant core/tensor.cpp 2 '#include "core/tensor.h"' '#include "graph/csr.h"'        # reverse
plant datasets/reader.cpp 1 '#include "layers/ops/spmm.h"'                          # sideways
plant graph/sample.cpp 3 '#include "graph/csr.h"' '' '  #  include "apps/cli/flags.h"'
plant models/mowst.cpp 1 '#include "layers/ops/cpu/spmm.h"'                         # private
plant apps/main.cpp 1 '#include "core/detail/arena.h"'                              # private
plant layers/ops/sddmm.h 2 '#pragma once' '#include "layers/ops/detail/tiles.h"'    # not installed
plant graph/boost.h 1 '#include <boost/graph/adjacency_list.hpp>'                   # heavy dep
plant core/parallel.h 1 '#include <tbb/parallel_for.h>'                             # heavy dep
plant layers/gate.cpp 2 '#include "layers/gate.h"' '#ifdef MOEGNN_WITH_CUDA' '#endif'
plant core/tape.h 3 '#pragma once' '' '#if defined(__CUDACC__)' '#endif'
plant tests/graph/csr_test.cpp 2 '#include "graph/csr.h"' '#include "layers/module.h"'
plant tests/graph/csbm_test.cpp 1 '#include "datasets/csbm.h"'
plant tests/support/models.h 1 '#include "models/mowst.h"'
plant bench/layers/spmm_bench.cpp 1 '#include "graph/detail/rmat.h"'
plant layers/ops/spmm.cpp 1 '#include "core/cuda/context.h"'     # core/cuda only from cuda/ folders
plant tests/cuda/ops_test.cpp 1 '#include "graph/detail/checks.h"' # other modules' private headers
put bad layers/ops/cuda/spmm.cu '#if CUDART_VERSION >= 12000' '#endif'  # allowed in .cu

status=0
output="$("$checker" "$work/bad" 2>&1)" || status=$?
failed=0
if ((status != 1)); then
  echo "FAIL: expected exit status 1 on the bad tree, got $status"
  failed=1
fi
for location in "${expect[@]}"; do
  if ! grep -qF -- "$location" <<<"$output"; then
    echo "FAIL: no violation reported at $location"
    failed=1
  fi
done
reported=$(grep -c '^[a-z].*:[0-9]*: ' <<<"$output" || true)
if ((reported != ${#expect[@]})); then
  echo "FAIL: expected ${#expect[@]} violations, the checker reported $reported"
  failed=1
fi
if ((failed)); then
  echo "--- checker output ---"
  echo "$output"
  exit 1
fi
echo "check_includes self-test: 1 clean tree accepted, ${#expect[@]} planted violations reported"
