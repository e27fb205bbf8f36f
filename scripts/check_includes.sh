#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks the module rules of STYLE.md §1 and §3 on every source file, the CI step the style guide
# promises. Prints each violation as `file:line: message` and exits 1 if there is any.
#   1. Include direction: core <- graph <- layers <- models <- apps, datasets -> graph,
#      ooc -> models + datasets (out-of-core training), dist -> models + datasets (partitioning,
#      distributed training). A folder includes
#      `"<module>/..."` headers only from modules it may link (core: core; graph: +core; layers: +graph;
#      models: +layers; datasets: core, graph; apps: everything). tests/<m> and bench/<m> may include
#      what <m> may plus tests/support (bench also bench/support); tests/models and bench/models also
#      datasets, which their executables link for inputs; tests/support may use core and graph.
#   2. Privacy: nothing includes another module's detail/, cpu/ or cuda/ headers (tests/<m> and
#      bench/<m> may reach into <m>'s own), and a public header includes no private header, because
#      the install step leaves those out. One exception: the CUDA backend's shared runtime,
#      core/cuda/ (context, allocator, checked calls), may be included from any module's private
#      cuda/ folder and from tests/cuda (the CUDA suite, which tests core's kernels).
#   3. Public headers name no Boost, oneTBB, cuSPARSE/cuBLAS or CUDA runtime header.
#   4. No `#if`/`#ifdef`/`#elif` mentioning CUDA in .h/.cpp files (build::kWithCuda is the switch).
# Usage: scripts/check_includes.sh [repository root]   (default: the repository holding this script)
set -euo pipefail

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"

dirs=()
for dir in core graph layers models datasets ooc dist apps tests bench; do
  [[ -d "$dir" ]] && dirs+=("$dir")
done
if ((${#dirs[@]} == 0)); then
  echo "check_includes.sh: no module folders under $root: nothing to check" >&2
  exit 1
fi

mapfile -d '' files < <(find "${dirs[@]}" -type f \
  \( -name '*.h' -o -name '*.cpp' -o -name '*.cu' -o -name '*.cuh' \) -print0 | sort -z)
if ((${#files[@]} == 0)); then
  echo "check_includes.sh: checked 0 files"
  exit 0
fi

status=0
awk '
function private_dir(path,    parts, n, i) {
  n = split(path, parts, "/")
  for (i = 1; i < n; ++i)
    if (parts[i] == "detail" || parts[i] == "cpu" || parts[i] == "cuda") return 1
  return 0
}
function report(message) {
  printf "%s:%d: %s\n", FILENAME, FNR, message
  ++violations
}
BEGIN {
  split("core graph layers models datasets ooc dist apps", names, " ")
  for (i in names) module[names[i]] = 1
  may["core"] = " core "
  may["graph"] = " core graph "
  may["layers"] = " core graph layers "
  may["models"] = " core graph layers models "
  may["datasets"] = " core graph datasets "
  may["ooc"] = " core graph layers models datasets ooc "
  may["dist"] = " core graph layers models datasets dist "
  may["apps"] = " core graph layers models datasets ooc dist apps "
  may["tests/support"] = " core graph tests/support "
  may["bench/support"] = " core graph bench/support "
  violations = 0
}
FNR == 1 {
  n = split(FILENAME, p, "/")
  owner = ""; home = ""; allowed = ""; public_header = 0
  if (p[1] in module) {
    owner = p[1]; home = p[1]; allowed = may[owner]
    public_header = FILENAME ~ /\.h$/ && !private_dir(FILENAME)
  } else if ((p[1] == "tests" || p[1] == "bench") && n > 2) {
    if (p[2] in module) {
      owner = p[1] "/" p[2]; home = p[2]
      allowed = may[p[2]] " tests/support " (p[1] == "bench" ? "bench/support " : "")
      if (p[2] == "models") allowed = allowed " datasets "  # their executables link datasets
      if (p[2] == "ooc") allowed = allowed " apps "  # the app test runs moegnn-train-ooc in-process
      if (p[2] == "dist") allowed = allowed " apps "  # the MPI tests run the app in-process
    } else if (p[2] == "support") {
      owner = p[1] "/support"; home = owner; allowed = may[owner]
    } else if (p[1] == "tests" && p[2] == "cuda") {
      # The CUDA suite links the models and datasets (an end-to-end training run on both devices).
      owner = "tests/cuda"; home = "core"; allowed = may["models"] " datasets tests/support "
    }
  }
  cxx = FILENAME ~ /\.(h|cpp)$/
}
/^[ \t]*#[ \t]*include[ \t]*"/ && owner != "" {
  included = $0
  sub(/^[ \t]*#[ \t]*include[ \t]*"/, "", included)
  sub(/".*$/, "", included)
  split(included, q, "/")
  if (q[1] in module) target = q[1]
  else if ((q[1] == "tests" || q[1] == "bench") && q[2] == "support") target = q[1] "/support"
  else next
  if (index(allowed, " " target " ") == 0) {
    listed = allowed
    gsub(/  +/, " ", listed)
    sub(/ $/, "", listed)
    report(owner " must not include " target " (\"" included "\"); " owner " may include:" listed)
  } else if (private_dir(included)) {
    cuda_runtime = target == "core" && q[2] == "cuda" && (FILENAME ~ /\/cuda\// || owner == "tests/cuda")
    if (target != home && !cuda_runtime)
      report("\"" included "\" is private to " target " (detail/, cpu/ and cuda/ stay inside their module)")
    else if (public_header)
      report("public header includes private \"" included "\", which is not installed")
  }
}
/^[ \t]*#[ \t]*include[ \t]*</ && public_header {
  if ($0 ~ /<(boost|tbb|oneapi)\// || $0 ~ /<(cusparse|cublas|cuda)/)
    report("public header includes " $0 "; keep Boost, oneTBB and CUDA headers in .cpp/.cu files")
}
/^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|elifdef|elifndef)([ \t(!]|$)/ && cxx {
  if (tolower($0) ~ /cuda/)
    report("#if on CUDA in a .h/.cpp file; branch with `if constexpr (build::kWithCuda)` instead")
}
END {
  if (violations > 0) {
    printf "check_includes.sh: %d violation(s) in %d files\n", violations, ARGC - 1
    exit 1
  }
  printf "check_includes.sh: %d files follow the module rules\n", ARGC - 1
}
' "${files[@]}" || status=$?
exit "$status"
