#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks that the C++ block of README.md (between the readme_example markers) is the code between
# `// [readme]` and `// [/readme]` in examples/readme_example.cpp, which CI compiles and runs; so the
# README cannot show code that does not build. Prints a diff and exits 1 when they differ.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readme_block() {
  awk '/<!-- readme_example:begin/ {on = 1; next} /<!-- readme_example:end/ {on = 0}
       on && !/^```/' README.md
}
example_block() {  # the marked lines, less the 2-space indent of the function body
  awk '/\/\/ \[\/readme\]/ {on = 0} on {sub(/^  /, ""); print} /\/\/ \[readme\]/ {on = 1}' \
    examples/readme_example.cpp
}

if [[ -z "$(example_block)" ]]; then
  echo "check_readme.sh: no // [readme] block in examples/readme_example.cpp" >&2
  exit 1
fi
if ! diff -u <(readme_block) <(example_block) --label README.md --label examples/readme_example.cpp; then
  echo "check_readme.sh: README.md's example differs from examples/readme_example.cpp" >&2
  exit 1
fi
echo "check_readme.sh: README example matches examples/readme_example.cpp"
