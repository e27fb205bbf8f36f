# SPDX-License-Identifier: Apache-2.0
# Shared by scripts/demo.sh and scripts/test.sh (sourced, not run): the repository root, the job
# count, step banners, and the compiler launcher. Both scripts configure `build` with the same
# launcher so that running one after the other does not rebuild everything.

moegnn_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$moegnn_root"

# Parallel compile jobs: all cores unless MOEGNN_JOBS says otherwise (2 on the CI machine).
moegnn_jobs="${MOEGNN_JOBS:-$(nproc 2>/dev/null || echo 2)}"

moegnn_started=$SECONDS
# step <title>: a banner with the time since the script started, so slow steps show in CI logs.
step() {
  printf '\n==> [%4ds] %s\n' "$((SECONDS - moegnn_started))" "$*"
}

# ccache (installed by scripts/setup.sh) makes rebuilds of unchanged files free; MOEGNN_CCACHE=0
# turns it off.
# Paths inside the checkout are hashed relative to it (CCACHE_BASEDIR) and the working directory
# is left out of the hash of -g objects (CCACHE_NOHASHDIR), so a second clone elsewhere on the
# machine (CI's fresh clone of main) reuses the objects this checkout compiled. The price: the debug
# info of a reused object names the first checkout's source paths.
moegnn_cmake_launcher=()
if [[ "${MOEGNN_CCACHE:-1}" != 0 ]] && command -v ccache >/dev/null 2>&1; then
  moegnn_cmake_launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$moegnn_root}"
  export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
fi
