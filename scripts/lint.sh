#!/usr/bin/env bash
# Style and static checks over our own sources: clang-format (no diff allowed) and
# clang-tidy with the checked-in .clang-tidy (no findings allowed).
# Usage: scripts/lint.sh <build-dir-with-compile_commands.json>
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}

mapfile -t sources < <(git ls-files -- 'sdk/*.h' 'sdk/*.hpp' 'host/*.cpp' 'host/*.hpp' \
  'plugins/*.cpp' 'plugins/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'tests/*.c' 'tests/*.h')
echo "lint: clang-format on ${#sources[@]} files"
clang-format --dry-run -Werror "${sources[@]}"

mapfile -t units < <(git ls-files -- 'host/*.cpp' 'plugins/*.cpp' 'tests/*.cpp')
echo "lint: clang-tidy on ${#units[@]} translation units"
run-clang-tidy -quiet -extra-arg=-Wno-ambiguous-reversed-operator -extra-arg=-Wno-unknown-warning-option -p "$build" -j "$(nproc)" "${units[@]/#/$PWD/}" >"$build/clang-tidy.log" 2>&1 || {
  grep -E "(warning|error):" "$build/clang-tidy.log" | sort -u | head -50
  echo "lint: clang-tidy reported findings (full log: $build/clang-tidy.log)" >&2
  exit 1
}
echo "lint: clean"
