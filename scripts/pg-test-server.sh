#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on loopback for the test suites and benchmarks.
#
#   scripts/pg-test-server.sh start  [dir] [port]   initdb when needed, then start (idempotent)
#   scripts/pg-test-server.sh url    [dir] [port]   print the libpq conninfo of the server
#   scripts/pg-test-server.sh status [dir] [port]   exit 0 when it is running
#   scripts/pg-test-server.sh halt   [dir] [port]   stop the server, keep its data (outage tests)
#   scripts/pg-test-server.sh stop   [dir] [port]   stop the server and remove the directory
#
# Defaults: dir /tmp/cardsync-pg, port 25432: below Linux's ephemeral range (32768-60999), so a
# client retrying while the server is down can never connect to itself on the server's port
# and leave a TIME-WAIT socket that stops the server from starting again. Uses Debian's postgresql-15 binaries (override
# with PG_BIN). PostgreSQL refuses to run as root, so as root everything runs as the
# `postgres` OS user, which owns the directory (its parents must be traversable by it: the
# default under /tmp is). Trust authentication on 127.0.0.1 only, no password anywhere: this
# server holds nothing but test data and never outlives the test run. Durability is switched
# off (fsync, synchronous_commit) because a crash loses nothing worth keeping.
set -euo pipefail

command=${1:-}
dir=${2:-/tmp/cardsync-pg}
port=${3:-25432}
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
marker="$dir/.cardsync-pg-test-server"

usage() {
  echo "usage: $0 start|stop|halt|status|url [dir] [port]" >&2
  exit 2
}

[[ -n $command ]] || usage
[[ $port =~ ^[0-9]+$ ]] || { echo "pg-test-server: port must be a number" >&2; exit 2; }

url() { echo "host=127.0.0.1 port=$port user=postgres dbname=postgres"; }

# Runs a command as the user the cluster belongs to.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() { [[ -f $dir/data/PG_VERSION ]] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

halt() {
  if running; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null; fi
}

case $command in
  url)
    url
    ;;
  status)
    running
    ;;
  start)
    if [[ ! -x $bin/initdb ]]; then
      echo "pg-test-server: $bin/initdb not found (install postgresql-15: scripts/install-deps.sh)" >&2
      exit 1
    fi
    if running; then
      echo "pg-test-server: already running on 127.0.0.1:$port ($dir)" >&2
      exit 0
    fi
    if [[ -e $dir && ! -f $marker ]]; then
      echo "pg-test-server: $dir exists and is not a test server directory; refusing to use it" >&2
      exit 1
    fi
    mkdir -p "$dir/socket" "$dir/log"
    touch "$marker"
    if [[ $(id -u) -eq 0 ]]; then chown -R postgres: "$dir"; fi
    chmod 700 "$dir"
    if [[ ! -f $dir/data/PG_VERSION ]]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/log/initdb.log" 2>&1 || {
        echo "pg-test-server: initdb failed, see $dir/log/initdb.log" >&2
        exit 1
      }
    fi
    options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/socket"
    options+=" -c max_connections=300 -c fsync=off -c synchronous_commit=off"
    options+=" -c full_page_writes=off -c shared_buffers=256MB"
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log/postgres.log" -o "$options" \
      -w -t 60 start >/dev/null; then
      echo "pg-test-server: the server did not start, see $dir/log/postgres.log" >&2
      tail -n 20 "$dir/log/postgres.log" >&2 || true
      exit 1
    fi
    echo "pg-test-server: running on 127.0.0.1:$port ($dir)" >&2
    ;;
  halt)
    halt
    ;;
  stop)
    halt
    if [[ -f $marker ]]; then rm -rf "$dir"; fi
    ;;
  *)
    usage
    ;;
esac
