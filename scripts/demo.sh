#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The newcomer's first command: installs what is missing (scripts/setup.sh), configures and builds
# moegnn in Release with Ninja in `build` (CUDA when nvcc is found), then runs the main job:
# apps/node_classification, a 2-layer GCN trained full-batch on a generated graph, which prints its
# accuracy. Extra arguments go to the program (e.g. scripts/demo.sh --epochs 50).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

step "setup: Debian packages"
scripts/setup.sh

step "configure: build (Release, Ninja)"
# Tests and benchmarks are left out to keep the first build short; scripts/test.sh turns tests on in
# the same folder without rebuilding the libraries.
cmake --preset default -DMOEGNN_BUILD_APPS=ON -DMOEGNN_BUILD_TESTS=OFF \
  -DMOEGNN_BUILD_BENCHMARKS=OFF "${moegnn_cmake_launcher[@]}"

step "build: $moegnn_jobs jobs"
cmake --build build -j "$moegnn_jobs"

step "run: build/apps/moegnn-node-classification $*"
build/apps/moegnn-node-classification "$@"
