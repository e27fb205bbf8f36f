#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages moegnn builds, tests and benchmarks with, and only those that are
# missing: a machine that already has everything returns in well under a second without touching
# apt. The CUDA toolkit is optional and not installed here; the build turns CUDA on when it finds nvcc.
# Usage: scripts/setup.sh            (idempotent; uses sudo only when not root)
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache
  libeigen3-dev libtbb-dev libboost-graph-dev zlib1g-dev pkg-config
  libmatio-dev libfmt-dev  # MAT-files (v5, v7 and, through HDF5, v7.3); formatting
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libcurl4-openssl-dev libssl-dev
  libmetis-dev libopenmpi-dev openmpi-bin  # partitioning and distributed training (dist/)
  liburing-dev  # out-of-core reads (ooc/); without it the build falls back to a pread pool
  clang libclang-rt-14-dev  # the libFuzzer targets in fuzz/ (scripts/test.sh runs them)
  python3-venv  # the interop test and the PyG/DGL comparison scripts use virtual environments
)

installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup.sh: dpkg-query not found: this script needs a Debian-based system;" \
       "install the packages listed in README.md by hand" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "setup.sh: all ${#packages[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "setup.sh: missing packages (${missing[*]}) and not root, and sudo is not available" >&2
    exit 1
  fi
  sudo_cmd=(sudo)
fi

echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${missing[@]}"
