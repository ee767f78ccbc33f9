#!/usr/bin/env bash
# Installs what building and testing cardsync needs on Debian 12, as root. Skips apt when
# everything is already there, so a second run costs nothing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ccache
  clang-format clang-tidy
  clang-14 libclang-rt-14-dev   # the fuzz preset: libFuzzer and the sanitizers' runtimes (scripts/fuzz.sh)
  libboost-dev libboost-filesystem-dev libboost-program-options-dev
  rapidjson-dev libcurl4-openssl-dev libsoci-dev libjwt-dev
  libsqlite3-dev sqlite3 libpq-dev libsystemd-dev
  postgresql-15 postgresql-client-15
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk openssl   # the admin server benchmark (tests/bench/admin_wrk_bench.sh) and its tokens
  chromium fonts-dejavu-core   # the monitor page's browser test (tests/browser)
  prometheus   # promtool: the alert rules and a live /metrics scrape (about 35 s to install)
  help2man lintian   # the man page (packaging/) and the Debian packages' check
  systemd man-db   # scripts/package-test.sh: systemd-analyze verify on the units, man cardsync
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The browser test's npm dependencies (playwright-core, driving the chromium above, and
# ESLint for scripts/lint.sh), from the lock file. `npm ci` re-runs whenever the lock file's
# content differs from the one last installed (a hash stamp kept in node_modules).
browser_dir=$(cd "$(dirname "$0")/../tests/browser" && pwd)
if command -v node >/dev/null && command -v npm >/dev/null; then
  stamp="$browser_dir/node_modules/.cardsync-lock.sha256"
  want=$(sha256sum <"$browser_dir/package-lock.json" | cut -d' ' -f1)
  have=$(cat "$stamp" 2>/dev/null || true)
  if [[ "$want" != "$have" ]]; then
    echo "install-deps: npm ci in $browser_dir (package-lock.json changed)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$browser_dir" --no-audit --no-fund --loglevel=error
    echo "$want" >"$stamp"
  fi
else
  echo "install-deps: node/npm not found (Node.js 20 or later): the browser test and the page lint will be skipped" >&2
fi
