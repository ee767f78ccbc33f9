#!/usr/bin/env bash
# Installs what building and testing cardsync needs on Debian 12, as root. Skips apt when
# everything is already there, so a second run costs nothing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  clang-format clang-tidy
  libboost-dev libboost-filesystem-dev libboost-program-options-dev
  rapidjson-dev libcurl4-openssl-dev libsoci-dev libjwt-dev
  libsqlite3-dev sqlite3 libpq-dev
  postgresql-15 postgresql-client-15
  libgtest-dev libgmock-dev libbenchmark-dev
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
