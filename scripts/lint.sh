#!/usr/bin/env bash
# Style and static checks over our own sources: clang-format (no diff allowed),
# clang-tidy with the checked-in .clang-tidy, and ESLint (tests/browser/eslint.config.js) over
# the monitor page's JavaScript and its browser test (no findings allowed).
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

# ESLint comes from tests/browser's lock file (scripts/install-deps.sh runs npm ci there).
if command -v node >/dev/null && command -v npm >/dev/null; then
  eslint=tests/browser/node_modules/.bin/eslint
  if [[ ! -x $eslint ]]; then
    echo "lint: $eslint is missing (run scripts/install-deps.sh)" >&2
    exit 1
  fi
  echo "lint: eslint on host/admin/assets and tests/browser"
  "$eslint" -c tests/browser/eslint.config.js --max-warnings 0 host/admin/assets tests/browser
else
  echo "lint: node/npm not found (Node.js 20 or later): skipping eslint on the page's JavaScript" >&2
fi
echo "lint: clean"
