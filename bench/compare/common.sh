# SPDX-License-Identifier: Apache-2.0
# Shared by the bench/compare/*_vs_pyg.sh scripts (sourced, not run). They build nothing: they run
# an already built moegnn_models_bench and the PyG side on the same input, in one run.
#   compare_setup_venv ROOT      -> sets $venv; creates ROOT/.venv-bench (git-ignored) and installs
#                                  torch 2.x and torch-geometric 2.8 from PyPI when missing
#   compare_find_bench ROOT DIR  -> sets $bench to DIR/bench/moegnn_models_bench or fails, saying
#                                  how to build it
#   compare_cpu                  -> prints the CPU model name
#   compare_default_build_dir ROOT -> prints ROOT/build (where scripts/test.sh builds the
#                                  benchmarks) when it holds bench/moegnn_models_bench, else
#                                  ROOT/build-dev when that does, else ROOT/build
#   compare_help SCRIPT          -> prints SCRIPT's header comment (its usage) and exits 0

compare_setup_venv() {
  local root="$1"
  venv="$root/.venv-bench"
  if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
  fi
  if ! "$venv/bin/python" -c "import torch, torch_geometric, numpy, scipy" 2>/dev/null; then
    local avail_gb
    avail_gb=$(df -Pk "$root" | awk 'NR == 2 { print int($4 / 1048576) }')
    if (( avail_gb < 8 )); then
      echo "error: ${avail_gb} GiB free under $root; the torch wheel and its dependencies need ~6 GiB" >&2
      return 1
    fi
    "$venv/bin/pip" install --quiet "torch>=2,<3" "torch-geometric==2.8.*" numpy scipy
  fi
}

compare_find_bench() {
  local root="$1" build_dir="$2"
  bench="$build_dir/bench/moegnn_models_bench"
  if [[ ! -x "$bench" ]]; then
    echo "error: $bench not found; build it first:" >&2
    echo "  scripts/test.sh (builds it in build/), or" >&2
    echo "  cmake --build $build_dir --target moegnn_models_bench" >&2
    return 1
  fi
}

compare_cpu() {
  lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1
}

compare_default_build_dir() {
  local root="$1" dir
  for dir in "$root/build" "$root/build-dev"; do
    if [[ -x "$dir/bench/moegnn_models_bench" ]]; then
      echo "$dir"
      return 0
    fi
  done
  echo "$root/build"
}

compare_help() {
  sed -n '3,/^set -euo pipefail/p' "$1" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 0
}

# compare_setup_dgl_venv ROOT -> sets $dgl_venv; creates ROOT/.venv-dgl (git-ignored) with DGL 2.1.0
# from PyPI, the newest DGL there, and the newest torch it ships libraries for (2.2.1; it does not
# import with the torch 2.15 of .venv-bench, hence a second venv). numpy < 2: torch 2.2 was built
# against numpy 1.
compare_setup_dgl_venv() {
  local root="$1"
  dgl_venv="$root/.venv-dgl"
  if [[ ! -x "$dgl_venv/bin/python" ]]; then
    python3 -m venv "$dgl_venv"
  fi
  if ! "$dgl_venv/bin/python" -c "import dgl, torch, scipy" 2>/dev/null; then
    "$dgl_venv/bin/pip" install --quiet "torch==2.2.1" "numpy<2" "dgl==2.1.0" "torchdata==0.7.1" \
      scipy networkx psutil pydantic pyyaml pandas
  fi
}
