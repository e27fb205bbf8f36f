#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks the layout `cmake --install` produced: every public header of each built module under
# include/moegnn/<module>/ (in-tree paths, so installed headers include each other as "core/tensor.h"),
# the generated core/config.h, nothing private (detail/, cpu/, cuda/) and nothing but headers under
# include/, the static libraries and lib/cmake/moegnn/moegnn{Config,ConfigVersion,Targets}.cmake.
# Prints each problem and exits 1 if there is any.
# Usage: scripts/check_install.sh <install prefix>
set -euo pipefail

if (($# != 1)) || [[ ! -d "$1" ]]; then
  echo "usage: scripts/check_install.sh <install prefix (an existing folder)>" >&2
  exit 2
fi
prefix="$(cd "$1" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
include="$prefix/include/moegnn"
problems=0
problem() {
  echo "check_install.sh: $*"
  problems=$((problems + 1))
}

[[ -f "$include/core/config.h" ]] || problem "missing include/moegnn/core/config.h"

config_dir=""
for dir in "$prefix"/lib*/cmake/moegnn; do
  [[ -d "$dir" ]] && config_dir="$dir"
done
if [[ -z "$config_dir" ]]; then
  problem "missing lib/cmake/moegnn/"
else
  for file in moegnnConfig.cmake moegnnConfigVersion.cmake moegnnTargets.cmake; do
    [[ -f "$config_dir/$file" ]] || problem "missing ${config_dir#"$prefix"/}/$file"
  done
fi

# Modules: those whose library was installed (models and datasets may be off in a partial build).
modules=()
for module in core graph layers models datasets ooc; do
  if compgen -G "$prefix/lib*/libmoegnn_${module}.*" >/dev/null; then
    modules+=("$module")
  elif [[ "$module" == core || "$module" == graph || "$module" == layers ]]; then
    problem "missing lib/libmoegnn_${module}.a (or .so)"
  fi
done

# Every public header of an installed module is there, and is the same file.
for module in "${modules[@]}"; do
  while IFS= read -r -d '' header; do
    relative="${header#"$root"/}"
    if [[ ! -f "$include/$relative" ]]; then
      problem "public header $relative was not installed"
    elif ! cmp -s "$header" "$include/$relative"; then
      problem "installed $relative differs from the source tree"
    fi
  done < <(find "$root/$module" -name '*.h' -not -path '*/detail/*' -not -path '*/cpu/*' \
             -not -path '*/cuda/*' -print0)
done

# The package asks a consumer only for what it links: Boost is header-only and private to graph/.
if [[ -n "$config_dir" ]] && grep -qE 'Boost::|find_dependency\(Boost' "$config_dir"/moegnn*.cmake; then
  problem "the CMake package mentions Boost (a consumer should not need it): $(grep -lE 'Boost::|find_dependency\(Boost' "$config_dir"/moegnn*.cmake | tr '\n' ' ')"
fi
if [[ -d "$include" ]] && grep -rlq '#include <boost' "$include"; then
  problem "an installed header includes Boost: $(grep -rl '#include <boost' "$include" | head -3 | tr '\n' ' ')"
fi

# Nothing private, nothing but headers.
if [[ -d "$include" ]]; then
  while IFS= read -r path; do
    problem "private folder installed: ${path#"$prefix"/}"
  done < <(find "$include" -type d \( -name detail -o -name cpu -o -name cuda \))
  while IFS= read -r path; do
    problem "not a header: ${path#"$prefix"/}"
  done < <(find "$include" -type f -not -name '*.h')
else
  problem "missing include/moegnn/"
fi

if ((problems > 0)); then
  echo "check_install.sh: $problems problem(s) in $prefix"
  exit 1
fi
echo "check_install.sh: ${#modules[@]} modules (${modules[*]}) installed with their public headers" \
  "and CMake package files"
