#!/usr/bin/env bash
# The README's test command: on a fresh Debian 12 machine as root, installs what is missing,
# builds with warnings as errors, checks formatting and clang-tidy, runs the whole suite
# through ctest, then builds and runs it again under AddressSanitizer + UBSan, then builds
# the tests of concurrent code (ctest label `concurrency`) under ThreadSanitizer and runs them.
# The fuzz targets' corpora replay in the release and asan stages (docs/fuzzing.md).
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=$(nproc)

# A throwaway PostgreSQL 15 on loopback for the PostgreSQL storage tests, stopped (and its
# directory removed) however this script ends. CARDSYNC_REQUIRE_POSTGRES makes those tests
# fail, never skip, if the server is missing.
scripts/pg-test-server.sh start
trap 'scripts/pg-test-server.sh stop' EXIT
CARDSYNC_TEST_PG_URL="$(scripts/pg-test-server.sh url)"
export CARDSYNC_TEST_PG_URL
export CARDSYNC_REQUIRE_POSTGRES=1
# The monitor page's browser test (tests/browser) must run, never skip, in CI.
export CARDSYNC_REQUIRE_BROWSER=1
# The live-scrape and alert-rule checks (promtool, from Debian's prometheus) must run too.
export CARDSYNC_REQUIRE_PROMTOOL=1

echo "== release build"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"

echo "== lint"
scripts/lint.sh build/release

echo "== tests (release)"
ctest --preset release -j "$jobs"

echo "== Debian packages (build, lintian, install, run as the cardsync user, purge)"
scripts/package-test.sh build/release

echo "== tests (asan + ubsan)"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"

# Only the binaries with `concurrency`-labelled tests: the tsan build preset builds
# cardsync_concurrency_tests and the test preset selects the label (tests/CMakeLists.txt).
echo "== tests (tsan, concurrency label)"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j "$jobs"
ctest --preset tsan -j "$jobs"

